// Why a workload is not ready, in words a person can act on: its pods' state, their last
// events (scheduling, image pulls, Pod Security refusals) and last log lines. Never a bare
// timeout. When no pod exists, the events of the workload (and a Deployment's ReplicaSets)
// say why — e.g. an admission webhook or Pod Security refusing to create it.
import { KubeError, type Kube, type KubeObject } from './kube.ts';
import { keyOf } from './desired.ts';
import { readiness } from './readiness.ts';

const EVENTS = 5;
const LOG_LINES = 15;

export async function diagnose(kube: Kube, workload: KubeObject): Promise<string> {
  const namespace = workload.metadata.namespace!;
  const state = readiness(workload);
  const lines = [`${keyOf(workload)}: ${state.replicas} ready${state.message ? ` (${state.message})` : ''}`];
  const selector = Object.entries(workload.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = selector ? await kube.list('v1', 'Pod', namespace, { labelSelector: selector }) : [];
  const pod = pods.find((p) => !isReady(p)) ?? pods[0];
  if (!pod) {
    lines.push('  no pod exists');
    const owners = [workload];
    if (workload.kind === 'Deployment' && selector) owners.push(...(await kube.list('apps/v1', 'ReplicaSet', namespace, { labelSelector: selector })));
    for (const owner of owners) lines.push(...(await eventLines(kube, namespace, owner.kind, owner.metadata.name)));
    return lines.join('\n');
  }
  lines.push(`  pod ${pod.metadata.name}: ${podSummary(pod)}`);
  lines.push(...(await eventLines(kube, namespace, 'Pod', pod.metadata.name)));
  lines.push(...(await logLines(kube, pod)));
  return lines.join('\n');
}

function isReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

function podSummary(pod: KubeObject): string {
  const parts: string[] = [pod.status?.phase ?? 'Unknown'];
  for (const c of pod.status?.conditions ?? []) {
    if (c.status !== 'True' && (c.reason || c.message)) parts.push(`${c.type}=False ${c.reason ?? ''}${c.message ? `: ${c.message}` : ''}`.trim());
  }
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = c.state?.waiting;
    const terminated = c.lastState?.terminated ?? c.state?.terminated;
    if (waiting) parts.push(`container ${c.name} waiting: ${waiting.reason ?? ''}${waiting.message ? ` ${waiting.message}` : ''}`);
    else if (terminated && terminated.exitCode !== 0)
      parts.push(`container ${c.name} exited ${terminated.exitCode} (${terminated.reason ?? 'error'}), restarts ${c.restartCount}`);
    else if (!c.ready) parts.push(`container ${c.name} not ready`);
  }
  return parts.join('; ');
}

async function eventLines(kube: Kube, namespace: string, kind: string, name: string): Promise<string[]> {
  const events = await kube.list('v1', 'Event', namespace, { fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` }).catch(() => []);
  // Events from the newer events API (the scheduler's) keep their latest time in series.
  const time = (e: KubeObject) =>
    String((e.series as { lastObservedTime?: string } | undefined)?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
  const count = (e: KubeObject) => Number((e.series as { count?: number } | undefined)?.count ?? e.count ?? 1);
  const last = events.sort((a, b) => time(a).localeCompare(time(b))).slice(-EVENTS);
  if (last.length === 0) return [`  events of ${kind}/${name}: none`];
  return [
    `  events of ${kind}/${name} (last ${last.length}):`,
    ...last.map((e) => `    ${e.type} ${e.reason}: ${String(e.message ?? '').trim()}${count(e) > 1 ? ` (x${count(e)})` : ''}`),
  ];
}

async function logLines(kube: Kube, pod: KubeObject): Promise<string[]> {
  if (!pod.spec?.nodeName) return ['  logs: none (the pod was never scheduled)'];
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const container = statuses.find((c: { ready: boolean }) => !c.ready)?.name ?? pod.spec.containers[0].name;
  try {
    const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/log`;
    const { body } = await kube.request<string>('GET', path, { query: { container, tailLines: String(LOG_LINES) }, timeoutMs: 10_000 });
    const text = String(body).trimEnd();
    return text ? [`  last log lines of ${container}:`, ...text.split('\n').map((l) => `    ${l}`)] : [`  logs of ${container}: empty`];
  } catch (error) {
    const why = error instanceof KubeError ? error.message : (error as Error).message;
    return [`  logs of ${container}: unavailable (${why.split('\n')[0]})`];
  }
}
