// The TraceLab spec: the single source of truth for its types, defaults and JSON Schema.
// Defaults here are production-shaped (Langfuse docs minimums); profiles.ts shrinks them
// for a laptop. Cross-field rules live in refine.ts.
import { z } from 'zod';
import { faults } from './faults.ts';
import { dnsLabel, duration, image, latency, nodePort, resources, secretKeyRef, storage } from './fields.ts';
import { LANGFUSE_RELEASES } from './langfuse-versions.ts';
import { crossFieldRules } from './refine.ts';
import { EVENT_LOOPS, RUNTIMES, SDK_VERSIONS, type SdkVersion, type TopologyApp, topologyApp } from './runtimes.ts';

export const API_VERSION = 'tracelab.dev/v1alpha1';
export const KIND = 'TraceLab';

export const TOPOLOGIES = ['baseline', 'inprocess', 'collector', 'sidecar', 'agent'] as const;
export type TopologyKind = (typeof TOPOLOGIES)[number];
export const PROFILES = ['kind', 'eks'] as const;
export type ProfileName = (typeof PROFILES)[number];

const res = (cpu: string, memory: string, limitCpu = cpu, limitMemory = memory) => ({
  requests: { cpu, memory },
  limits: { cpu: limitCpu, memory: limitMemory },
});

// ---- Langfuse -----------------------------------------------------------------------------

const langfuseComponent = (cpu: string, memory: string) =>
  z.strictObject({
    image: image.optional().describe('defaults to the image of spec.langfuse.version'),
    replicas: z.int().min(1).max(50).default(2),
    resources: resources.default(res(cpu, memory)),
  });

const langfuse = z.strictObject({
  version: z
    .union([z.literal(3), z.literal(4)])
    .default(4)
    .describe('Langfuse server major version'),
  web: langfuseComponent('2', '4Gi').prefault({}),
  worker: langfuseComponent('2', '4Gi').prefault({}),
  nextauthUrl: z.url().default('http://localhost:3000').describe('public URL of the web UI'),
  nodePort: nodePort.optional().describe('expose the web UI on this NodePort (the kind profile maps 30300 to localhost:3000)'),
  ingress: z
    .strictObject({
      host: z.string().min(1).describe('host name the UI is served on, e.g. langfuse.staging.example.com'),
      className: z.string().optional().describe('IngressClass, e.g. alb; the cluster default when omitted'),
      tlsSecretName: dnsLabel.optional().describe('Secret with the TLS certificate; omit when the load balancer terminates TLS'),
      annotations: z.record(z.string(), z.string()).optional().describe('e.g. alb.ingress.kubernetes.io/scheme: internal'),
    })
    .optional()
    .describe('an Ingress for the web UI (staging); set nextauthUrl to its URL'),
  telemetryEnabled: z.boolean().default(false),
  init: z
    .strictObject({
      orgId: dnsLabel.default('tracelab'),
      orgName: z.string().min(1).default('tracelab'),
      projectId: dnsLabel.default('tracelab'),
      projectName: z.string().min(1).default('tracelab'),
      userEmail: z.email().optional().describe('with it, a user whose password is key "userPassword" of Secret tracelab-langfuse-init'),
      retentionDays: z.int().min(3).optional().describe('project data retention (Langfuse Enterprise feature; minimum 3)'),
    })
    .prefault({})
    .describe('headless init: org, project and API keys created at first start (keys from Secret tracelab-langfuse-init)'),
});

// ---- Datastores: each in-cluster (StatefulSet + PVC) or external (managed service) --------

// `mode` may be left out and then means in-cluster.
const inCluster = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ mode: z.literal('in-cluster').default('in-cluster'), ...shape });
const external = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ mode: z.literal('external'), ...shape });

const postgres = z.discriminatedUnion('mode', [
  inCluster({
    image: image.default('postgres:17.6'),
    storage: storage.default({ size: '20Gi' }),
    resources: resources.default(res('2', '4Gi')),
  }),
  external({ urlSecretRef: secretKeyRef.describe('Secret key holding DATABASE_URL (postgresql://...)') }),
]);

const clickhouse = z.discriminatedUnion('mode', [
  inCluster({
    image: image.optional().describe('defaults to the ClickHouse recommended for spec.langfuse.version'),
    storage: storage.default({ size: '50Gi' }),
    resources: resources.default(res('2', '8Gi')),
  }),
  external({
    url: z.url().describe('HTTP endpoint, e.g. http://clickhouse:8123'),
    migrationUrl: z.string().regex(/^clickhouse:\/\//, 'must start with clickhouse:// (native protocol, port 9000)'),
    user: z.string().min(1),
    passwordSecretRef: secretKeyRef,
    clusterEnabled: z.boolean().default(false),
  }),
]);

const redis = z.discriminatedUnion('mode', [
  inCluster({
    image: image.default('valkey/valkey:8.1.10'),
    storage: storage.default({ size: '5Gi' }),
    resources: resources.default(res('1', '1536Mi')),
  }),
  external({
    host: z.string().min(1),
    port: z.int().min(1).max(65535).default(6379),
    tls: z.boolean().default(false),
    passwordSecretRef: secretKeyRef.optional(),
  }),
]);

const objectStore = z.discriminatedUnion('mode', [
  inCluster({
    image: image.default('minio/minio:RELEASE.2025-09-07T16-13-09Z'),
    bucket: dnsLabel.default('langfuse'),
    nodePort: nodePort.optional().describe('expose the S3 API on this NodePort, for browser media uploads (kind maps 30900 to localhost:9090)'),
    publicEndpoint: z
      .url()
      .optional()
      .describe('S3 endpoint browsers reach for media uploads (presigned URLs); only pods can reach the in-cluster one when omitted'),
    storage: storage.default({ size: '20Gi' }),
    resources: resources.default(res('500m', '1Gi')),
  }),
  external({
    endpoint: z.url().optional().describe('S3 endpoint; AWS S3 when omitted'),
    region: z.string().default('us-east-1'),
    bucket: z.string().min(3),
    forcePathStyle: z.boolean().default(false),
    credentialsSecretName: dnsLabel.optional().describe('Secret with keys accessKeyId and secretAccessKey; omit to use the pod identity (IRSA)'),
  }),
]);

const datastores = z.strictObject({
  postgres: postgres.prefault({}),
  clickhouse: clickhouse.prefault({}),
  redis: redis.prefault({}),
  objectStore: objectStore.prefault({}),
});

// ---- OpenTelemetry Collector --------------------------------------------------------------

const collector = z.strictObject({
  image: image.default('otel/opentelemetry-collector-k8s:0.159.0'),
  gateway: z.strictObject({ replicas: z.int().min(1).max(50).default(2), resources: resources.default(res('1', '1Gi')) }).prefault({}),
  agent: z.strictObject({ enabled: z.boolean().default(true), resources: resources.default(res('500m', '512Mi')) }).prefault({}),
  sidecar: z.strictObject({ resources: resources.default(res('250m', '256Mi')) }).prefault({}),
  memoryLimiter: z
    .strictObject({
      checkInterval: duration.default('1s'),
      limitPercentage: z.int().min(1).max(100).default(80),
      spikeLimitPercentage: z.int().min(0).max(100).default(25),
    })
    .prefault({}),
  batch: z
    .strictObject({
      sendBatchSize: z.int().min(1).default(512),
      sendBatchMaxSize: z.int().min(0).default(1024).describe('0 = no upper bound'),
      timeout: duration.default('200ms'),
    })
    .prefault({}),
  sendingQueue: z
    .strictObject({
      enabled: z.boolean().default(true),
      numConsumers: z.int().min(1).default(10),
      queueSize: z.int().min(1).default(1000).describe('in batches'),
    })
    .prefault({}),
  retry: z
    .strictObject({
      enabled: z.boolean().default(true),
      initialInterval: duration.default('5s'),
      maxInterval: duration.default('30s'),
      maxElapsedTime: duration.default('300s'),
    })
    .prefault({}),
  persistentQueue: z
    .strictObject({ enabled: z.boolean().default(false), storage: storage.default({ size: '2Gi' }) })
    .prefault({})
    .describe('file_storage-backed sending queue that survives collector restarts'),
});

// ---- The instrumented app and the topologies being compared --------------------------------

const workload = z.strictObject({
  spansPerRequest: z.int().min(1).max(1000).default(6),
  nestingDepth: z.int().min(1).max(50).default(3),
  toolCalls: z.int().min(0).max(50).default(1).describe('fan-out: tool-call spans under the generation'),
  payloadBytes: z
    .int()
    .min(0)
    .max(16 * 1024 * 1024)
    .default(2048)
    .describe('bytes captured as input and as output'),
  llmLatency: duration.default('100ms').describe('simulated LLM call latency'),
  llmJitter: duration.default('20ms'),
  cpuWork: duration.default('2ms').describe('synchronous CPU work per request'),
});

const sdkVersion = z
  .union(SDK_VERSIONS.map((v) => z.literal(v)) as [z.ZodLiteral<SdkVersion>, z.ZodLiteral<SdkVersion>])
  .describe("Langfuse SDK major the app loads (node: 5; python: 3 = the field report's 3.15.0, 5 = 5.0.4)");
const runtime = z.enum(RUNTIMES).describe('which target app runs: apps/target-node or apps/target-python (FastAPI)');
const eventLoop = z.enum(EVENT_LOOPS).describe("python only: asyncio's own loop or uvloop");

const app = z.strictObject({
  runtime: runtime.default('node'),
  sdkVersion: sdkVersion.optional().describe('defaults to the newest line of the runtime (5)'),
  eventLoop: eventLoop.default('asyncio'),
  images: z
    .strictObject({
      'node-sdk5': image.default('tracelab/target-node:0.1.0'),
      'python-sdk3': image.default('tracelab/target-python:0.1.0-sdk3'),
      'python-sdk5': image.default('tracelab/target-python:0.1.0-sdk5'),
    })
    .prefault({})
    .describe('one image per runtime and SDK line (apps/target-python/Dockerfile builds each line with --build-arg SDK_LINE)'),
  replicas: z.int().min(1).max(100).default(1),
  resources: resources.default(res('1', '512Mi')),
  workload: workload.prefault({}),
});

export const sdkSettings = z.strictObject({
  batchSize: z.int().min(1).max(10_000).default(512).describe('spans per export (Langfuse flushAt, OTEL_BSP_MAX_EXPORT_BATCH_SIZE)'),
  flushInterval: duration.default('5s'),
  queueSize: z.int().min(1).max(1_000_000).default(2048),
  exportTimeout: duration.default('30s'),
  exportMode: z.enum(['batched', 'immediate']).default('batched'),
  samplingRatio: z.number().min(0).max(1).default(1),
  setup: z
    .enum(['documented', 'hand-built'])
    .default('documented')
    .describe(
      "documented: tracing set up as the SDK's docs tell users (node: NodeSDK + LangfuseSpanProcessor; python: the Langfuse client); hand-built: node only, a BasicTracerProvider built by hand",
    ),
  serializeIn: z
    .enum(['loop', 'worker'])
    .default('loop')
    .describe(
      'loop: the exporter encodes each batch on the event loop (the SDK default); worker: a worker thread encodes, compresses and sends it, the loop pays only the hand-off',
    ),
});

export const instrumentation = z.strictObject({
  style: z
    .enum(['observe', 'active', 'manual', 'auto'])
    .default('observe')
    .describe('observe: decorator/wrapper; active: context-manager spans; manual: start/end; auto: observe plus HTTP server/client auto-instrumentation'),
  captureIO: z.boolean().default(true),
  antiPattern: z.enum(['none', 'client-per-request', 'flush-per-request']).default('none'),
});

const topology = z
  .strictObject({
    topology: z.enum(TOPOLOGIES),
    name: dnsLabel.max(40).optional().describe('unique label; defaults to the topology'),
    runtime: runtime.optional().describe('defaults to spec.app.runtime'),
    sdkVersion: sdkVersion.optional().describe('defaults to spec.app.sdkVersion, else the newest line of the runtime'),
    eventLoop: eventLoop.optional().describe('python only; defaults to spec.app.eventLoop'),
    sdk: sdkSettings.prefault({}),
    instrumentation: instrumentation.prefault({}),
    collector: z
      .strictObject({ persistentQueue: z.strictObject({ enabled: z.boolean() }) })
      .optional()
      .describe(
        "this topology's collector differs from spec.collector (e.g. the persistent queue on and off in one fault run): the local lab runs a collector process of its own for it; in a cluster a sidecar honours it, the shared gateway and agent do not",
      ),
  })
  .transform((t) => ({ ...t, name: t.name ?? t.topology }));

// What `tracelab capacity` holds each arrival rate to: the knee is the highest rate that keeps all of it.
const slo = z.strictObject({
  p99: latency.default('500ms').describe('p99 latency of successful requests (the default workload answers in ~125 ms at p99 when idle)'),
  maxErrorRatio: z.number().min(0).max(1).default(0.01).describe("failed requests / requests (k6's threshold in the lab is 1%)"),
  maxDroppedIterations: z.int().min(0).default(0).describe('iterations k6 could not start on time: nothing free to send them'),
  maxSpanLossRatio: z.number().min(0).max(1).default(0).describe("spans ended but not at the backend when the slot's drain ends"),
});

const load = z.strictObject({
  image: image.default('grafana/k6:1.8.1'),
  scenario: z
    .enum(['steady', 'ramp', 'spike', 'soak', 'closed'])
    .default('steady')
    .describe('open model (arrival rate): steady, ramp, spike, soak; closed model (constant concurrent users): closed'),
  rate: z.int().min(1).max(100_000).default(50).describe('requests per second (open model)'),
  vus: z.int().min(1).max(10_000).default(100).describe('closed model: concurrent users, each sending its next request when the last one answered'),
  thinkTime: duration.default('0ms').describe("closed model: each user's pause between an answer and its next request"),
  duration: duration.default('60s').describe('measured time per topology per round'),
  warmup: duration.default('10s').describe('excluded from results'),
  rounds: z.int().min(1).max(200).default(3).describe('topologies are interleaved round by round, in a new seeded order each round; intervals need at least 3'),
  precision: latency
    .optional()
    .describe('keep adding rounds until every traced topology\'s Δp99 interval half-width is at most this (e.g. "0.5ms"), or the budget ends'),
  budget: duration.default('30m').describe('time limit of the whole run when precision is set'),
  interference: z
    .strictObject({
      maxForeignShare: z.number().min(0).max(1).default(0.1).describe('share of a core other programs may use during a slot before it is re-run'),
      retries: z.int().min(0).max(5).default(2).describe('re-runs of a disturbed slot before it is kept and flagged'),
    })
    .prefault({}),
  preAllocatedVUs: z.int().min(1).default(50),
  maxVUs: z.int().min(1).default(200),
  resources: resources.default(res('500m', '256Mi', '1', '1Gi')).describe('of each k6 Job (one runs at a time)'),
  slo: slo.prefault({}).describe('what a topology must keep at an arrival rate: `tracelab capacity` raises the rate until one of these breaks'),
});

// ---- Sweeps and capacity (tracelab sweep | capacity) -----------------------------------------

// Knobs are written as --vary takes them, "<path>=<v1>,<v2>,...": one syntax for the CLI and
// the spec, and a plain string for the CRD (each value is typed by the field it goes to).
const sweep = z
  .strictObject({
    preset: z.string().optional().describe('a named experiment of the field report (tracelab sweep --list-presets)'),
    vary: z
      .array(
        z
          .string()
          .regex(/^[^=]+=[^=]+$/, 'must be "<spec path>=<v1>,<v2>,...", as --vary takes it, e.g. "app.workload.payloadBytes=0,1KiB,1MiB"')
          .describe('a spec path below spec and its values, e.g. "topologies[*].sdk.batchSize=64,512"'),
      )
      .max(3)
      .default([])
      .describe('knobs to vary (several make a grid), checked against the schema when the sweep runs or by tracelab validate'),
  })
  .describe('what `tracelab sweep` varies when no --vary or --preset is given');

const capacity = z.strictObject({
  startRate: z.int().min(1).max(100_000).default(10).describe('first arrival rate tried, req/s'),
  maxRate: z.int().min(1).max(100_000).default(2000).describe('the search stops here: a knee above it is reported as "above maxRate"'),
  growth: z.number().min(1.1).max(10).default(2).describe('factor between rates until the SLO breaks; then bisection'),
  resolution: z.number().min(0.005).max(0.5).default(0.05).describe('bisect until (broke − kept) / kept is at most this'),
  maxSteps: z.int().min(2).max(60).default(14).describe('steps per topology at most (rising and bisecting)'),
  stepDuration: duration.default('10s').describe('measured time of each step (a fresh app per step, as every slot)'),
  stepWarmup: duration.default('3s'),
  gateway: z
    .strictObject({
      enabled: z.boolean().default(true).describe("measure the collector gateway's own ceiling, driven directly with OTLP"),
      spansPerBatch: z.int().min(1).max(10_000).default(512).describe('spans per OTLP request, as an SDK batch'),
      startRate: z.int().min(1).default(20).describe('first rate, OTLP requests/s'),
      maxRate: z.int().min(1).default(5000),
    })
    .prefault({}),
});

// ---- The document -------------------------------------------------------------------------

const spec = z.strictObject({
  profile: z.enum(PROFILES).default('kind'),
  namespace: dnsLabel.default('tracelab'),
  langfuse: langfuse.prefault({}),
  datastores: datastores.prefault({}),
  collector: collector.prefault({}),
  app: app.prefault({}),
  topologies: z
    .array(topology)
    .min(1)
    .default(TOPOLOGIES.map((t) => ({ topology: t, name: t, sdk: sdkSettings.parse({}), instrumentation: instrumentation.parse({}) }))),
  load: load.prefault({}),
  faults,
  sweep: sweep.optional(),
  capacity: capacity.prefault({}),
});

const traceLabDocument = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(KIND),
  metadata: z.strictObject({ name: dnsLabel, labels: z.record(z.string(), z.string()).optional() }),
  spec: spec.prefault({}),
});
/** The document as parsed, before cross-field rules and image resolution. */
export type TraceLabDocument = z.output<typeof traceLabDocument>;

export const traceLabSchema = traceLabDocument.superRefine(crossFieldRules).transform((doc) => {
  // Images that follow the Langfuse major unless set explicitly.
  const release = LANGFUSE_RELEASES[doc.spec.langfuse.version];
  const { langfuse: lf, datastores: ds } = doc.spec;
  lf.web.image ??= release.webImage;
  lf.worker.image ??= release.workerImage;
  if (ds.clickhouse.mode === 'in-cluster') ds.clickhouse.image ??= release.clickhouseImage;
  // Each topology names the app it runs (runtime, SDK line, event loop); spec.app gives the defaults.
  doc.spec.topologies = doc.spec.topologies.map((t) => ({ ...t, ...topologyApp(doc.spec.app, t) }));
  return doc as Resolved<typeof doc>;
});

/** After resolution every optional image is set, and every topology names its app. */
type Resolved<T extends TraceLabDocument> = Omit<T, 'spec'> & {
  spec: Omit<T['spec'], 'topologies' | 'langfuse'> & {
    langfuse: T['spec']['langfuse'] & { web: { image: string }; worker: { image: string } };
    topologies: Array<T['spec']['topologies'][number] & TopologyApp>;
  };
};

export type TraceLabInput = z.input<typeof traceLabSchema>;
export type TraceLab = z.output<typeof traceLabSchema>;
export type Spec = TraceLab['spec'];
export type Topology = Spec['topologies'][number];
export type SdkSettings = z.output<typeof sdkSettings>;
export type Instrumentation = z.output<typeof instrumentation>;
export type Workload = Spec['app']['workload'];
export type CollectorSpec = Spec['collector'];
export type LoadSpec = Spec['load'];
export type { Fault, FaultKind } from './faults.ts';
export type SloSpec = LoadSpec['slo'];
export type SweepSpec = NonNullable<Spec['sweep']>;
export type CapacitySpec = Spec['capacity'];
