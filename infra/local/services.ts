// Starting the lab's services as real processes on loopback: ingest-sink (the backend),
// collectors (gateway, sidecar, agent roles) and the target app in a topology's mode.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsEnv, type TargetSettings } from '../../contracts/target-app.ts';
import { collectorConfigYaml, BASIC_AUTH_ENV } from '../../contracts/collector-config.ts';
import type { Runtime, SdkVersion } from '../../contracts/spec/runtimes.ts';
import type { CollectorSpec } from '../../contracts/spec/schema.ts';
import { PYTHON_APP_SRC, resolvePythonVenv } from '../tools/python.ts';
import { ManagedProcess, freePort } from './process.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
export const SINK_KEYS = { publicKey: 'pk-lf-tracelab-local', secretKey: 'sk-lf-tracelab-local' } as const;
export const basicAuth = (keys: { publicKey: string; secretKey: string }) => Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64');

export interface Service {
  /** Replaced when a fault run restarts the process (infra/local/faults/); read it each time. */
  process: ManagedProcess;
  readonly url: string;
}

export interface StartOptions {
  readonly logDir?: string;
  readonly cpus?: string;
  readonly env?: Record<string, string>;
  /** Name of the log file (without .log); defaults to the service's name. */
  readonly logName?: string;
}

const logFile = (options: StartOptions, name: string) => (options.logDir ? join(options.logDir, `${name}.log`) : undefined);

export interface SinkService extends Service {
  /** Where /admin, /stats and /metrics answer: a port of its own with `adminPort`, else `url`. */
  readonly adminUrl: string;
}

export interface SinkOptions extends StartOptions {
  readonly keepSpans?: number;
  /** Serve admin and stats on a second port, which stays up while an outage refuses connections. */
  readonly adminPort?: boolean;
  /** Queue mode (Langfuse's request path) on these datastores; count mode without. */
  readonly queue?: Record<string, string>;
}

export async function startSink(options: SinkOptions = {}): Promise<SinkService> {
  const port = await freePort();
  const adminPort = options.adminPort ? await freePort() : undefined;
  const url = `http://127.0.0.1:${port}`;
  const adminUrl = adminPort ? `http://127.0.0.1:${adminPort}` : url;
  const process = await ManagedProcess.start({
    name: 'ingest-sink',
    command: globalThis.process.execPath,
    args: [join(ROOT, 'apps/ingest-sink/src/server.ts')],
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LANGFUSE_PUBLIC_KEY: SINK_KEYS.publicKey,
      LANGFUSE_SECRET_KEY: SINK_KEYS.secretKey,
      SINK_KEEP_SPANS: String(options.keepSpans ?? 0),
      ...(adminPort ? { SINK_ADMIN_PORT: String(adminPort) } : {}),
      ...(options.queue ? { SINK_MODE: 'queue', ...options.queue } : {}),
      ...options.env,
    },
    readyUrl: `${adminUrl}/healthz`,
    logFile: logFile(options, 'ingest-sink'),
    cpus: options.cpus,
  });
  return { process, url, adminUrl };
}

export interface CollectorService extends Service {
  /** OTLP/HTTP traces URL for apps. */
  readonly tracesUrl: string;
  readonly metricsUrl: string;
}

/** A collector process built from the same config builder as the cluster's collectors. */
export async function startCollector(
  role: string,
  binary: string,
  settings: CollectorSpec,
  backendUrl: string,
  options: StartOptions & { workDir: string },
): Promise<CollectorService> {
  const [otlpHttp, metrics, health] = [await freePort(), await freePort(), await freePort()];
  const config = join(options.workDir, `otelcol-${role}.yaml`);
  writeFileSync(
    config,
    collectorConfigYaml({
      settings,
      langfuseOtelEndpoint: `${backendUrl}/api/public/otel`,
      bindHost: '127.0.0.1',
      ports: { otlpHttp, metrics, health },
      queueDirectory: join(options.workDir, `queue-${role}`),
    }),
  );
  const process = await ManagedProcess.start({
    name: `otelcol-${role}`,
    command: binary,
    args: [`--config=${config}`],
    env: { [BASIC_AUTH_ENV]: basicAuth(SINK_KEYS), ...options.env },
    readyUrl: `http://127.0.0.1:${health}/`,
    logFile: logFile(options, `otelcol-${role}`),
    cpus: options.cpus,
  });
  return {
    process,
    url: `http://127.0.0.1:${otlpHttp}`,
    tracesUrl: `http://127.0.0.1:${otlpHttp}/v1/traces`,
    metricsUrl: `http://127.0.0.1:${metrics}/metrics`,
  };
}

/** Which app serves a topology: its runtime and, for python, the SDK line (one venv each). */
export interface TargetApp {
  readonly runtime: Runtime;
  readonly sdkVersion: SdkVersion;
}

/** Command, arguments and extra env that start the app of a runtime (python: its SDK line's venv). */
export async function targetCommand(
  app: TargetApp,
  env: Record<string, string> = {},
): Promise<{ command: string; args: string[]; env: Record<string, string> }> {
  if (app.runtime === 'node') return { command: globalThis.process.execPath, args: [join(ROOT, 'apps/target-node/src/server.ts')], env: {} };
  const venv = await resolvePythonVenv(app.sdkVersion);
  const path = [PYTHON_APP_SRC, env.PYTHONPATH].filter(Boolean).join(':');
  return { command: venv.python, args: ['-m', 'tracelab_target'], env: { PYTHONPATH: path, PYTHONUNBUFFERED: '1' } };
}

/** The target app with `settings` (its port is replaced by a free one); node unless `app` says otherwise. */
export async function startTarget(settings: TargetSettings, options: StartOptions & { app?: TargetApp } = {}): Promise<Service> {
  const port = await freePort();
  const env = Object.fromEntries(settingsEnv({ ...settings, port }));
  const target = await targetCommand(options.app ?? { runtime: 'node', sdkVersion: 5 }, options.env);
  const process = await ManagedProcess.start({
    name: `app-${settings.topology}`,
    command: target.command,
    args: target.args,
    env: {
      ...env,
      HOST: '127.0.0.1',
      LANGFUSE_PUBLIC_KEY: SINK_KEYS.publicKey,
      LANGFUSE_SECRET_KEY: SINK_KEYS.secretKey,
      ...options.env,
      ...target.env,
    },
    readyUrl: `http://127.0.0.1:${port}/healthz`,
    logFile: logFile(options, options.logName ?? `app-${settings.topology}`),
    cpus: options.cpus,
  });
  return { process, url: `http://127.0.0.1:${port}` };
}
