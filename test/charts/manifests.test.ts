// Given each spec of the matrix, when the stack is synthesized, then the manifests are
// what a cluster would accept and run safely.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KIND_BUDGET, KIND_PORTS } from '../../contracts/spec/profiles.ts';
import { requiredLangfuseEnv } from '../../charts/langfuse/env.ts';
import { requiredSecrets } from '../../charts/secrets.ts';
import { renderCharts } from '../../charts/synthesize.ts';
import { appImage } from '../../contracts/spec/runtimes.ts';
import { exportPlan } from '../../contracts/spec/topology.ts';
import { KEY_ENV, readSettings, targetSettings } from '../../contracts/target-app.ts';
import { allContainers, matches, modelFor, podTemplates, type KubeObject } from '../support/kube-objects.ts';
import { specMatrix } from '../support/specs.ts';

describe.each(specMatrix())('synthesized stack: $label', ({ doc }) => {
  const charts = renderCharts(doc);
  const objects = charts.flatMap((c) => c.objects) as KubeObject[];
  const pods = podTemplates(objects);
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  it('every object validates against the Kubernetes schemas', async () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) {
      const Model = await modelFor(object);
      expect(() => new Model(object).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
    }
  });

  it('object names are unique per kind and everything namespaced is in the spec namespace', () => {
    const keys = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const o of objects.filter((o) => o.kind !== 'Namespace')) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(doc.spec.namespace);
  });

  it("every workload's selector matches its own pod labels", () => {
    for (const { owner, labels } of pods) {
      if (owner.kind === 'Job') continue; // Jobs get a generated selector
      expect(matches(owner.spec.selector.matchLabels, labels), `${owner.kind}/${owner.metadata.name}`).toBe(true);
    }
  });

  it('every Service selects pods, and every Service port exists on those pods', () => {
    for (const service of byKind('Service')) {
      const selected = pods.filter((p) => matches(service.spec.selector, p.labels));
      expect(selected.length, `Service/${service.metadata.name} selects no pods`).toBeGreaterThan(0);
      for (const { owner, pod } of selected) {
        const ports = allContainers(pod).flatMap((c) => (c.ports ?? []).map((p: any) => p.containerPort));
        for (const port of service.spec.ports) {
          expect(ports, `Service/${service.metadata.name} port ${port.targetPort} on ${owner.kind}/${owner.metadata.name}`).toContain(port.targetPort);
        }
      }
    }
  });

  it('every Secret and ConfigMap a pod references is synthesized or declared', () => {
    const declared = new Map(requiredSecrets(doc.spec).map((s) => [s.name, Object.keys(s.keys)]));
    const configMaps = new Map(byKind('ConfigMap').map((c) => [c.metadata.name, Object.keys(c.data ?? {})]));
    for (const { owner, pod } of pods) {
      const where = `${owner.kind}/${owner.metadata.name}`;
      for (const container of allContainers(pod)) {
        for (const env of container.env ?? []) {
          const ref = env.valueFrom?.secretKeyRef;
          if (ref) expect(declared.get(ref.name), `${where} env ${env.name} → Secret ${ref.name}/${ref.key}`).toContain(ref.key);
          const cm = env.valueFrom?.configMapKeyRef;
          if (cm) expect(configMaps.get(cm.name), `${where} → ConfigMap ${cm.name}`).toContain(cm.key);
        }
      }
      for (const volume of pod.volumes ?? []) {
        if (volume.configMap) {
          const keys = configMaps.get(volume.configMap.name);
          expect(keys, `${where} volume → ConfigMap ${volume.configMap.name}`).toBeDefined();
          for (const item of volume.configMap.items ?? []) expect(keys).toContain(item.key);
        }
        if (volume.secret) expect(declared.has(volume.secret.secretName), `${where} → Secret ${volume.secret.secretName}`).toBe(true);
      }
    }
  });

  it('no secret value is written: no Secret objects, and secret-like env comes from Secrets', () => {
    expect(byKind('Secret')).toEqual([]);
    const yaml = charts.map((c) => c.yaml).join('\n');
    expect(yaml).not.toMatch(/\b(pk|sk)-lf-[0-9a-f]/);
    for (const { owner, pod } of pods) {
      for (const container of allContainers(pod)) {
        for (const env of container.env ?? []) {
          if (!/(PASSWORD|SECRET|SECRET_KEY|PUBLIC_KEY|SALT|ENCRYPTION_KEY|_AUTH|ACCESS_KEY_ID)$/.test(env.name)) continue;
          expect(env.value, `${owner.kind}/${owner.metadata.name} ${env.name} is a literal`).toBeUndefined();
        }
        const url = (container.env ?? []).find((e: any) => e.name === 'DATABASE_URL');
        if (url?.value) expect(url.value).toMatch(/\$\(DATABASE_PASSWORD\)/);
      }
    }
  });

  it('Langfuse web and worker get every variable their version requires, with $(VAR) defined before use', () => {
    for (const role of ['web', 'worker'] as const) {
      const deployment = byKind('Deployment').find((d) => d.metadata.name === `langfuse-${role}`)!;
      const env: any[] = deployment.spec.template.spec.containers[0].env;
      const names = env.map((e) => e.name);
      expect(names).toEqual(expect.arrayContaining(requiredLangfuseEnv(doc.spec.langfuse.version, role)));
      expect(deployment.spec.template.spec.containers[0].image).toBe(doc.spec.langfuse[role].image);
      env.forEach((e, i) => {
        for (const [, ref] of (e.value ?? '').matchAll(/\$\(([A-Z_]+)\)/g)) {
          expect(names.slice(0, i), `${role}: ${e.name} uses $(${ref}) before it is defined`).toContain(ref);
        }
      });
    }
  });

  it('web waits for migrations: a long startup probe before liveness', () => {
    const web = byKind('Deployment').find((d) => d.metadata.name === 'langfuse-web')!.spec.template.spec.containers[0];
    expect(web.startupProbe.httpGet.path).toBe('/api/public/health');
    expect(web.startupProbe.failureThreshold * web.startupProbe.periodSeconds).toBeGreaterThanOrEqual(300);
    expect(web.readinessProbe.httpGet.path).toBe('/api/public/ready');
  });

  it('pods meet Pod Security restricted (non-root, no escalation, no capabilities, RuntimeDefault seccomp), with requests and limits', () => {
    for (const { owner, pod } of pods) {
      expect(pod.securityContext?.runAsNonRoot, `${owner.kind}/${owner.metadata.name}`).toBe(true);
      for (const c of allContainers(pod)) {
        expect(c.securityContext?.runAsNonRoot, `${owner.metadata.name}/${c.name}`).toBe(true);
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(c.securityContext?.capabilities, `${owner.metadata.name}/${c.name}`).toEqual({ drop: ['ALL'] });
        expect(c.securityContext?.seccompProfile, `${owner.metadata.name}/${c.name}`).toEqual({ type: 'RuntimeDefault' });
        expect(c.resources?.limits?.cpu && c.resources?.limits?.memory, `${owner.metadata.name}/${c.name} limits`).toBeTruthy();
        expect(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${owner.metadata.name}/${c.name} requests`).toBeTruthy();
        expect(c.imagePullPolicy).toBe('IfNotPresent');
      }
    }
  });

  it('in-cluster datastores are StatefulSets with PVCs, fenced so only Langfuse reaches them', () => {
    const ds = doc.spec.datastores;
    const inCluster = (['postgres', 'clickhouse', 'redis', 'objectStore'] as const).filter((k) => ds[k].mode === 'in-cluster');
    const sets = byKind('StatefulSet').filter((s) => s.metadata.labels?.['app.kubernetes.io/component'] === 'datastore');
    expect(sets).toHaveLength(inCluster.length);
    const policies = byKind('NetworkPolicy');
    for (const set of sets) {
      expect(set.spec.volumeClaimTemplates?.[0]?.metadata.name).toBe('data');
      // Deleting the StatefulSet deletes its volume: cleanup leaves nothing behind.
      expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
      const policy = policies.find((p) => matches(p.spec.podSelector.matchLabels, set.spec.template.metadata.labels));
      expect(policy, `no NetworkPolicy for ${set.metadata.name}`).toBeDefined();
      expect(policy!.spec.ingress[0].from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/component': 'langfuse' });
    }
  });

  it('pods behind a NetworkPolicy are probed only by commands inside them (kindnet cannot drop those, kind#3875)', () => {
    for (const policy of byKind('NetworkPolicy')) {
      for (const { owner, labels, pod } of pods.filter((p) => matches(policy.spec.podSelector.matchLabels, p.labels))) {
        void labels;
        for (const c of allContainers(pod)) {
          for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
            if (c[probe]) expect(Object.keys(c[probe]), `${owner.metadata.name}/${c.name} ${probe}`).toContain('exec');
          }
        }
      }
    }
  });

  it('every image is pinned to a release: no floating major tag, no :latest', () => {
    for (const { owner, pod } of pods) {
      for (const c of allContainers(pod)) {
        const [, tag = ''] = c.image.split('@')[0].split(':');
        expect(c.image.includes('@sha256:') || /\./.test(tag), `${owner.metadata.name}/${c.name}: ${c.image}`).toBe(true);
        expect(tag).not.toBe('latest');
      }
    }
  });

  it('Langfuse web and worker bind all addresses (Kubernetes sets HOSTNAME to the pod name)', () => {
    for (const name of ['langfuse-web', 'langfuse-worker']) {
      const env = byKind('Deployment').find((d) => d.metadata.name === name)!.spec.template.spec.containers[0].env;
      expect(env).toContainEqual({ name: 'HOSTNAME', value: '0.0.0.0' });
    }
  });

  it('media uploads: web hands out the endpoint browsers reach, the worker uses the in-cluster one', () => {
    const endpoint = (name: string) =>
      byKind('Deployment')
        .find((d) => d.metadata.name === name)!
        .spec.template.spec.containers[0].env.find((e: any) => e.name === 'LANGFUSE_S3_MEDIA_UPLOAD_ENDPOINT')?.value;
    const store = doc.spec.datastores.objectStore;
    if (store.mode === 'in-cluster') {
      expect(endpoint('langfuse-worker')).toBe('http://object-store:9000');
      expect(endpoint('langfuse-web')).toBe(store.publicEndpoint ?? 'http://object-store:9000');
      if (store.nodePort) {
        const service = byKind('Service').find((o) => o.spec.type === 'NodePort' && o.metadata.name === 'object-store-nodeport');
        expect(service?.spec.ports[0]).toMatchObject({ port: 9000, nodePort: store.nodePort });
      }
    } else {
      // S3 itself is reachable from browsers.
      expect(endpoint('langfuse-web')).toBe(endpoint('langfuse-worker'));
    }
  });

  it("each app's env is the target app's own contract: readSettings on it gives the topology's settings", () => {
    const endpoints = {
      langfuseBaseUrl: 'http://langfuse-web:3000',
      gatewayTracesUrl: 'http://otel-gateway:4318/v1/traces',
      sidecarTracesUrl: 'http://127.0.0.1:4318/v1/traces',
      agentTracesUrl: 'http://$(HOST_IP):4318/v1/traces',
    };
    for (const topology of doc.spec.topologies) {
      const app = byKind('Deployment').find((d) => d.metadata.name === `app-${topology.name}`)!;
      const env: any[] = app.spec.template.spec.containers[0].env;
      const literal = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
      const plan = exportPlan(topology.topology, endpoints);
      expect(readSettings(literal), topology.name).toEqual(targetSettings(topology, doc.spec.app.workload, plan.tracing, plan.endpoint, 8080));
      // Keys come from the init Secret, never as literals.
      if (plan.tracing === 'langfuse') {
        for (const key of Object.values(KEY_ENV)) expect(env.find((e) => e.name === key)?.valueFrom?.secretKeyRef?.name).toBe('tracelab-langfuse-init');
      }
    }
  });

  it("one app per topology, from its runtime and SDK line's image, differing only in image, env and the sidecar", () => {
    const apps = byKind('Deployment').filter((d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'app');
    expect(apps.map((a) => a.metadata.name)).toEqual(doc.spec.topologies.map((t) => `app-${t.name}`));
    const strip = (a: KubeObject) => {
      const pod = structuredClone(a.spec.template.spec);
      delete pod.initContainers;
      delete pod.volumes;
      pod.containers[0].env = [];
      pod.containers[0].image = '';
      return pod;
    };
    for (const app of apps) expect(strip(app)).toEqual(strip(apps[0]));
    for (const topology of doc.spec.topologies) {
      const pod = apps.find((a) => a.metadata.name === `app-${topology.name}`)!.spec.template.spec;
      const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
      expect(pod.containers[0].image).toBe(appImage(doc.spec.app.images, topology));
      expect(pod.containers[0].image).toMatch(topology.runtime === 'python' ? new RegExp(`target-python:.*-sdk${topology.sdkVersion}$`) : /target-node/);
      if (topology.topology === 'baseline') expect(env.TRACELAB_TRACING).toBe('none');
      // (The env's content is the target app's contract, checked above.)
      if (topology.topology === 'sidecar') expect(pod.initContainers?.[0]).toMatchObject({ name: 'otel-sidecar', restartPolicy: 'Always' });
      // Defined before the URL that expands $(HOST_IP).
      if (topology.topology === 'agent') {
        expect(pod.containers[0].env[0]).toEqual({ name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } });
        expect(env.HOST_IP).toBeDefined();
      }
    }
  });

  it('the node agent listens on a hostPort, when enabled', () => {
    const agent = byKind('DaemonSet').find((d) => d.metadata.name === 'otel-agent');
    expect(Boolean(agent)).toBe(doc.spec.collector.agent.enabled);
    if (agent) expect(agent.spec.template.spec.containers[0].ports).toContainEqual(expect.objectContaining({ containerPort: 4318, hostPort: 4318 }));
  });

  it('k6 Jobs, one per topology, start suspended and target their app', () => {
    const jobs = byKind('Job');
    expect(jobs.map((j) => j.metadata.name)).toEqual(doc.spec.topologies.map((t) => `k6-${t.name}`));
    for (const job of jobs) {
      expect(job.spec.suspend).toBe(true);
      const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
      expect(env.TARGET_URL).toBe(`http://${job.metadata.name.replace(/^k6-/, 'app-')}:8080`);
    }
  });

  it('is deterministic: the same spec gives byte-identical YAML', () => {
    expect(renderCharts(doc).map((c) => c.yaml)).toEqual(charts.map((c) => c.yaml));
  });
});

describe('the kind profile fits a laptop', () => {
  const doc = specMatrix()[0].doc;
  const objects = renderCharts(doc).flatMap((c) => c.objects) as KubeObject[];

  it(`the default stack requests at most ${KIND_BUDGET.requests.cpuMillis}m CPU and ${KIND_BUDGET.requests.memoryMiB} MiB, one k6 Job running`, () => {
    expect(doc.spec.profile).toBe('kind');
    let cpu = 0;
    let memory = 0;
    const jobs = podTemplates(objects).filter((p) => p.owner.kind === 'Job');
    for (const { owner, pod } of podTemplates(objects)) {
      // One node on kind: a DaemonSet runs once; the bench runs one k6 Job at a time.
      const copies = owner.kind === 'Job' ? (owner === jobs[0].owner ? 1 : 0) : owner.kind === 'DaemonSet' ? 1 : (owner.spec.replicas ?? 1);
      for (const c of [...(pod.initContainers ?? []).filter((i: any) => i.restartPolicy === 'Always'), ...pod.containers]) {
        cpu += copies * millicores(c.resources.requests.cpu);
        memory += copies * mebibytes(c.resources.requests.memory);
      }
    }
    expect(cpu).toBeLessThanOrEqual(KIND_BUDGET.requests.cpuMillis);
    expect(memory).toBeLessThanOrEqual(KIND_BUDGET.requests.memoryMiB);
  });

  it("the kind cluster config maps the profile's NodePorts to localhost (UI on :3000, media uploads on :9090)", () => {
    const config = parse(readFileSync(new URL('../../infra/cluster/kind-config.yaml', import.meta.url), 'utf8'));
    const mappings = config.nodes[0].extraPortMappings;
    for (const { nodePort, hostPort } of Object.values(KIND_PORTS))
      expect(mappings).toContainEqual(expect.objectContaining({ containerPort: nodePort, hostPort }));
    expect(doc.spec.langfuse.nodePort).toBe(KIND_PORTS.web.nodePort);
    expect(doc.spec.langfuse.nextauthUrl).toBe(`http://localhost:${KIND_PORTS.web.hostPort}`);
  });
});

function millicores(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

function mebibytes(q: string): number {
  const [, n, unit] = /^(\d+(?:\.\d+)?)(Mi|Gi|Ki)?$/.exec(q) ?? [];
  return Number(n) * ({ Ki: 1 / 1024, Mi: 1, Gi: 1024 }[unit ?? 'Mi'] ?? Number.NaN);
}
