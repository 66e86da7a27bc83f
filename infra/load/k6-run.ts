// Runs one k6 slot (a topology in a round) and turns k6's CSV output into compact samples
// of the measured phase (samples.ts).
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { parse } from 'csv-parse';
import { durationMs } from '../../contracts/spec/fields.ts';
import { K6_DIR, scenarioPath } from '../../contracts/k6-bundle.ts';
import { k6Env } from '../../contracts/k6-env.ts';
import { join } from 'node:path';
import type { LoadSpec } from '../../contracts/spec/schema.ts';
import type { K6Outcome, LatencySummary } from './record.ts';
import { SAMPLES_HEADER, sampleLine } from './samples.ts';

export interface K6Slot {
  readonly k6: string;
  readonly load: LoadSpec;
  readonly targetUrl: string;
  readonly topology: string;
  readonly round: number;
  /** Absolute paths; samplesFile is also recorded relative to the run dir. */
  readonly rawCsv: string;
  readonly summaryJson: string;
  readonly samplesPath: string;
  readonly samplesFile: string;
  readonly logFile: string;
  /** taskset CPU list to pin k6 to (the support cores), as the other lab processes are. */
  readonly cpus?: string;
  /** Aborting kills k6 (SIGTERM, then SIGKILL) and rejects. */
  readonly signal?: AbortSignal;
  /** Another script than the spec's scenario (absolute path), e.g. the OTLP scenario, with its extra env. */
  readonly script?: string;
  readonly env?: Record<string, string>;
}

export async function runK6Slot(slot: K6Slot): Promise<K6Outcome> {
  const env = {
    ...process.env,
    K6_NO_USAGE_REPORT: 'true',
    K6_AUTO_EXTENSION_RESOLUTION: 'false',
    K6_CSV_TIME_FORMAT: 'unix_nano',
    ...k6Env({
      targetUrl: slot.targetUrl,
      topology: slot.topology,
      round: String(slot.round),
      rate: slot.load.rate,
      duration: slot.load.duration,
      warmup: slot.load.warmup,
      preAllocatedVUs: slot.load.preAllocatedVUs,
      maxVUs: slot.load.maxVUs,
      vus: slot.load.vus,
      thinkTime: slot.load.thinkTime,
    }),
    ...slot.env,
  };
  const args = [
    'run',
    '--quiet',
    '--no-color',
    '--out',
    `csv=${slot.rawCsv}`,
    '--summary-export',
    slot.summaryJson,
    slot.script ?? join(K6_DIR, '..', scenarioPath(slot.load.scenario)),
  ];
  const code = await new Promise<number | null>((resolve, reject) => {
    const log = createWriteStream(slot.logFile, { flags: 'a' });
    const [command, argv] = slot.cpus ? ['taskset', ['-c', slot.cpus, slot.k6, ...args]] : [slot.k6, args];
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Two sources into one log: neither may end it (the other may still write); 'close' does.
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    log.on('error', () => {}); // a log that cannot be written must not take the run down
    child.on('close', () => log.end());
    const abort = () => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    };
    slot.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => reject(new Error(`cannot run k6 (${slot.k6}): ${error.message}`)));
    child.on('close', (exitCode) => {
      slot.signal?.removeEventListener('abort', abort);
      if (slot.signal?.aborted) reject(new Error(`k6 stopped: ${String(slot.signal.reason ?? 'aborted')}`));
      else resolve(exitCode);
    });
  });
  // Exit 99 means thresholds failed (dropped iterations, errors): a result, not a crash.
  if (code !== 0 && code !== 99) throw new Error(`k6 exited with ${code} for ${slot.topology} round ${slot.round}; see ${slot.logFile}`);

  const counts = await extractSamples(slot.rawCsv, slot.samplesPath);
  rmSync(slot.rawCsv, { force: true }); // large; the compact samples keep what the analysis needs
  return {
    samplesFile: slot.samplesFile,
    ...counts,
    measuredSeconds: durationMs(slot.load.duration) / 1000,
    k6Summary: readK6Summary(slot.summaryJson),
  };
}

async function extractSamples(rawCsv: string, samplesPath: string): Promise<{ requests: number; failed: number; droppedIterations: number }> {
  const out = createWriteStream(samplesPath);
  out.write(`${SAMPLES_HEADER}\n`);
  let requests = 0;
  let failed = 0;
  let droppedIterations = 0;
  const parser = createReadStream(rawCsv).pipe(parse({ columns: true, relax_column_count: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    if (!isMeasured(row)) continue;
    if (row.metric_name === 'http_req_duration') {
      const ok = row.status === '200';
      requests++;
      if (!ok) failed++;
      const seq = /(?:^|&)seq=(\d+)/.exec(row.metadata ?? '')?.[1];
      out.write(
        `${sampleLine({ endMs: Number(BigInt(row.timestamp) / 1000n) / 1000, latencyMs: Number(row.metric_value), ok, seq: seq === undefined ? -1 : Number(seq) })}\n`,
      );
    } else if (row.metric_name === 'dropped_iterations') {
      droppedIterations += Number(row.metric_value);
    }
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return { requests, failed, droppedIterations };
}

/** The submetric k6/lib/phases.ts makes k6 summarise: successful requests of the measured phase. */
export const K6_CROSS_CHECK_METRIC = 'http_req_duration{phase:measure,expected_response:true}';

/** Open model: the scenario "measure"; closed model: one scenario whose requests carry phase=measure. */
function isMeasured(row: Record<string, string>): boolean {
  return row.scenario === 'measure' || /(?:^|&)phase=measure(?:&|$)/.test(row.extra_tags ?? '');
}

function readK6Summary(file: string): LatencySummary | undefined {
  try {
    const metrics = JSON.parse(readFileSync(file, 'utf8')).metrics;
    const m = metrics[K6_CROSS_CHECK_METRIC];
    if (!m) return undefined;
    return { count: m.count, p50: m.med, p90: m['p(90)'], p95: m['p(95)'], p99: m['p(99)'], p999: m['p(99.9)'], max: m.max };
  } catch {
    return undefined;
  }
}
