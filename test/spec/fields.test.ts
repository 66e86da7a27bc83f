// The field formats a user types (quantities, durations, images, names) and the defaults a
// spec gets for what it leaves out, per profile: what validate accepts is what Kubernetes,
// k6 and the collector accept, and the defaults are the documented ones.
import { describe, expect, it } from 'vitest';
import { parseSpec, type SpecError } from '../../contracts/spec/read.ts';
import { specJsonSchema } from '../../contracts/spec/json-schema.ts';
import { minimal } from '../support/specs.ts';

const problemAt = (spec: string, path: string): string | undefined => {
  try {
    parseSpec(minimal(spec), 'f.yaml');
    return undefined;
  } catch (error) {
    return (error as SpecError).problems.find((p) => p.path === path)?.message;
  }
};
const res = (cpu: string, memory: string) => `  app: { resources: { requests: { cpu: "${cpu}", memory: "${memory}" }, limits: { cpu: "1", memory: "1Gi" } } }`;

describe('field formats', () => {
  it.each(['500m', '2', '0.5', '1.25m'])('CPU %s is a quantity', (cpu) =>
    expect(problemAt(res(cpu, '1Gi'), 'spec.app.resources.requests.cpu')).toBeUndefined(),
  );
  it.each(['2 cores', 'x500m', '500mm', '1.', '.5', '1.m'])('CPU %s is not', (cpu) =>
    expect(problemAt(res(cpu, '1Gi'), 'spec.app.resources.requests.cpu')).toBe(`must be a CPU quantity such as "500m" or "2" (got "${cpu}")`),
  );
  it.each(['512Mi', '4Gi', '1.5Gi', '1000', '2k', '1T'])('memory %s is a quantity', (memory) =>
    expect(problemAt(res('1', memory), 'spec.app.resources.requests.memory')).toBeUndefined(),
  );
  it.each(['4GB', 'x4Gi', '4Gix', '1.Gi', '4 Gi'])('memory %s is not', (memory) =>
    expect(problemAt(res('1', memory), 'spec.app.resources.requests.memory')).toBe(`must be a memory quantity such as "512Mi" or "4Gi" (got "${memory}")`),
  );
  it.each(['250ms', '5s', '2m', '1h'])('duration %s', (d) => expect(problemAt(`  load: { warmup: "${d}" }`, 'spec.load.warmup')).toBeUndefined());
  it.each(['5', 's', '5sx', 'x5s', '1.5s', '5 s'])('duration %s is not one', (d) =>
    expect(problemAt(`  load: { warmup: "${d}" }`, 'spec.load.warmup')).toBe(`must be a duration such as "250ms", "5s", "2m" or "1h" (got "${d}")`),
  );
  it.each(['grafana/k6:1.8.1', 'registry.example:5000/team/k6:v1', `grafana/k6@sha256:${'a'.repeat(64)}`])('image %s', (image) =>
    expect(problemAt(`  load: { image: "${image}" }`, 'spec.load.image')).toBeUndefined(),
  );
  it.each(['Grafana/k6', '-k6', 'k6 latest', `k6@sha256:${'a'.repeat(63)}`, `k6@sha256:${'A'.repeat(64)}`, 'k6!'])('image %s is not one', (image) =>
    expect(problemAt(`  load: { image: "${image}" }`, 'spec.load.image')).toMatch(/^must be a container image reference such as "langfuse\/langfuse:4\.16\.0"/),
  );
  it('a Secret reference needs a key; an external ClickHouse a clickhouse:// migration URL and a user', () => {
    const ch = (over: string) => {
      const fields: Record<string, string> = {
        url: '"http://ch:8123"',
        migrationUrl: '"clickhouse://ch:9000"',
        user: 'u',
        passwordSecretRef: '{ name: s, key: k }',
      };
      const [key, ...value] = over.split(': ');
      fields[key] = value.join(': ');
      return `  datastores: { clickhouse: { mode: external, ${Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')} } }`;
    };
    expect(problemAt(ch('passwordSecretRef: { name: s, key: "" }'), 'spec.datastores.clickhouse.passwordSecretRef.key')).toBe('must not be empty (got "")');
    expect(problemAt(ch('migrationUrl: "http://ch:9000"'), 'spec.datastores.clickhouse.migrationUrl')).toBe(
      'must start with clickhouse:// (native protocol, port 9000) (got "http://ch:9000")',
    );
    expect(problemAt(ch('migrationUrl: "x-clickhouse://ch"'), 'spec.datastores.clickhouse.migrationUrl')).toMatch(/^must start with clickhouse:\/\//);
    expect(problemAt(ch('user: ""'), 'spec.datastores.clickhouse.user')).toBe('must not be empty (got "")');
    expect(problemAt(ch('user: "ab"'), 'spec.datastores.clickhouse.user')).toBeUndefined();
  });
  it.each([
    ['  datastores: { redis: { mode: external, host: r, port: 0 } }', 'spec.datastores.redis.port', 'must be at least 1 (got 0)'],
    ['  datastores: { redis: { mode: external, host: r, port: 65536 } }', 'spec.datastores.redis.port', 'must be at most 65535 (got 65536)'],
    ['  langfuse: { init: { retentionDays: 2 } }', 'spec.langfuse.init.retentionDays', 'must be at least 3 (got 2)'],
    ['  app: { replicas: 101 }', 'spec.app.replicas', 'must be at most 100 (got 101)'],
  ])('bounds: %s', (spec, path, message) => expect(problemAt(spec, path)).toBe(message));
  it('bounds hold their edges', () => {
    expect(problemAt('  datastores: { redis: { mode: external, host: r, port: 65535 } }', 'spec.datastores.redis.port')).toBeUndefined();
    expect(problemAt('  langfuse: { init: { retentionDays: 30 } }', 'spec.langfuse.init.retentionDays')).toBeUndefined();
    expect(problemAt('  app: { replicas: 100 }', 'spec.app.replicas')).toBeUndefined();
  });
});

describe('defaults', () => {
  it('what a spec leaves out, under the eks profile (docs minimums, gp3 volumes, ClickHouse and S3 managed)', () => {
    const { spec } = parseSpec(
      minimal(`  profile: eks
  datastores:
    clickhouse: { url: 'https://ch.example:8443', migrationUrl: 'clickhouse://ch.example:9440', user: langfuse, passwordSecretRef: { name: ch, key: password } }
    objectStore: { bucket: langfuse-events, region: eu-west-1 }`),
    );
    expect(spec.langfuse).toMatchObject({
      version: 4,
      nextauthUrl: 'http://localhost:3000',
      telemetryEnabled: false,
      web: { replicas: 2, resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } } },
      worker: { replicas: 2, resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } } },
    });
    expect(spec.datastores).toEqual({
      postgres: {
        mode: 'in-cluster',
        image: 'postgres:17.6',
        storage: { size: '20Gi', storageClassName: 'gp3' },
        resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      },
      clickhouse: {
        mode: 'external',
        url: 'https://ch.example:8443',
        migrationUrl: 'clickhouse://ch.example:9440',
        user: 'langfuse',
        passwordSecretRef: { name: 'ch', key: 'password' },
        clusterEnabled: false,
      },
      redis: {
        mode: 'in-cluster',
        image: 'valkey/valkey:8.1.10',
        storage: { size: '5Gi', storageClassName: 'gp3' },
        resources: { requests: { cpu: '1', memory: '1536Mi' }, limits: { cpu: '1', memory: '1536Mi' } },
      },
      objectStore: { mode: 'external', region: 'eu-west-1', bucket: 'langfuse-events', forcePathStyle: false },
    });
    expect(spec.collector).toMatchObject({
      sendingQueue: { enabled: true, numConsumers: 10, queueSize: 1000 },
      retry: { enabled: true, initialInterval: '5s', maxInterval: '30s', maxElapsedTime: '300s' },
      persistentQueue: { enabled: false, storage: { size: '2Gi', storageClassName: 'gp3' } },
    });
    expect(spec.topologies.every((t) => t.instrumentation.captureIO && t.instrumentation.style === 'observe')).toBe(true);
    expect(spec.app.replicas).toBe(1);
  });

  it('under the eks profile, a spec without ClickHouse and S3 is refused with what is missing and a hint', () => {
    expect(() => parseSpec(minimal('  profile: eks'))).toThrow(
      /spec\.datastores\.clickhouse\.url: is required[\s\S]*hint: the eks profile expects an external ClickHouse/,
    );
  });

  it('under the kind profile: every resource shrunk to fit a 4-CPU kind VM, one replica each, no storage class', () => {
    const { spec } = parseSpec(minimal());
    expect(spec.profile).toBe('kind');
    const r = (cpu: string, memory: string, limitCpu: string, limitMemory: string) => ({
      requests: { cpu, memory },
      limits: { cpu: limitCpu, memory: limitMemory },
    });
    expect([spec.langfuse.web, spec.langfuse.worker].map((c) => [c.replicas, c.resources])).toEqual([
      [1, r('200m', '1Gi', '2', '2Gi')],
      [1, r('100m', '512Mi', '2', '1536Mi')],
    ]);
    const ds = spec.datastores as Record<string, { storage: object; resources: object }>;
    expect(Object.fromEntries(Object.entries(ds).map(([k, v]) => [k, [v.storage, v.resources]]))).toEqual({
      postgres: [{ size: '2Gi' }, r('100m', '256Mi', '1', '1Gi')],
      clickhouse: [{ size: '5Gi' }, r('200m', '1Gi', '2', '3Gi')],
      redis: [{ size: '1Gi' }, r('50m', '64Mi', '500m', '512Mi')],
      objectStore: [{ size: '2Gi' }, r('50m', '128Mi', '500m', '512Mi')],
    });
    expect([spec.collector.gateway, spec.collector.agent.resources, spec.collector.sidecar.resources]).toEqual([
      { replicas: 1, resources: r('100m', '128Mi', '1', '512Mi') },
      r('50m', '64Mi', '500m', '256Mi'),
      r('50m', '64Mi', '500m', '256Mi'),
    ]);
  });

  it('external datastores default what a managed service usually is', () => {
    const { spec } = parseSpec(
      minimal(`  datastores:
    postgres: { mode: external, urlSecretRef: { name: pg, key: url } }
    clickhouse: { mode: external, url: "http://ch:8123", migrationUrl: "clickhouse://ch:9000", user: u, passwordSecretRef: { name: ch, key: p } }
    redis: { mode: external, host: r }
    objectStore: { mode: external, bucket: events }`),
    );
    expect(spec.datastores.clickhouse).toMatchObject({ clusterEnabled: false });
    expect(spec.datastores.redis).toEqual({ mode: 'external', host: 'r', port: 6379, tls: false });
    expect(spec.datastores.objectStore).toEqual({ mode: 'external', bucket: 'events', region: 'us-east-1', forcePathStyle: false });
  });

  it('the editor schema describes the fields people ask about', () => {
    const text = JSON.stringify(specJsonSchema());
    for (const words of [
      'Langfuse server major version',
      'public URL of the web UI',
      'Secret key holding DATABASE_URL',
      'HTTP endpoint, e.g. http://clickhouse:8123',
      'S3 endpoint; AWS S3 when omitted',
      'Secret with keys accessKeyId and secretAccessKey',
      '0 = no upper bound',
      'in batches',
      'file_storage-backed sending queue',
      'tool-call spans',
      'bytes captured as input and as output',
      'simulated LLM call latency',
      'synchronous CPU work per request',
      'spans per export',
      'unique label; defaults to the topology',
      'measured time per topology per round',
      'excluded from results',
      'topologies are interleaved round by round',
      'project data retention',
      'headless init',
      'name of an existing Secret in the namespace',
      'key inside that Secret',
      'size of the PersistentVolumeClaim',
      'storage class; the cluster default when omitted',
      'defaults to the image of spec.langfuse.version',
      'defaults to the ClickHouse recommended for spec.langfuse.version',
      'with it, a user whose password is key',
    ]) {
      expect(text, words).toContain(words);
    }
  });
});
