import { API_VERSION, KIND } from '../contracts/spec/schema.ts';
import type { TraceLabStatus } from '../contracts/status.ts';
import { loadSpecFile } from '../contracts/spec/read.ts';
import { Kube, loadKubeConfig } from '../infra/cluster/kube.ts';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, SPEC_FLAGS, parseFlags, type Command } from './command.ts';

export const status: Command = {
  name: 'status',
  summary: "show the TraceLab's conditions and each component's readiness",
  usage: `Usage: tracelab status [options]

Reads the TraceLab resource of the spec (or --name/--namespace) and prints its phase,
its Ready/Progressing/Degraded conditions with reason and message, and every component's
readiness. Exits 1 when the resource does not exist.

Options:
  -f, --spec <file>        the spec that names the resource (default: tracelab.yaml)
      --name <name>        the TraceLab's name (default: the spec's metadata.name)
  -n, --namespace <ns>     its namespace (default: the spec's namespace)
${CLUSTER_FLAGS_HELP}
  -h, --help               show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, { spec: SPEC_FLAGS.spec, name: { type: 'string' }, namespace: { type: 'string', short: 'n' }, ...CLUSTER_FLAGS });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const doc = values.name && values.namespace ? undefined : loadSpecFile(values.spec);
    const name = values.name ?? doc!.metadata.name;
    const namespace = values.namespace ?? doc!.spec.namespace;
    const kube = new Kube(loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context }));
    const object = await kube.get(API_VERSION, KIND, namespace, name).catch((error) => {
      // Before the CRD is installed the resource type itself is unknown.
      if (/could not find the requested resource|404/.test((error as Error).message)) return undefined;
      throw error;
    });
    if (!object) {
      console.error(`no TraceLab ${namespace}/${name} on ${kube.server}; create it with tracelab up`);
      return 1;
    }
    console.log(formatStatus(`${namespace}/${name}`, object.metadata.generation ?? 0, object.status));
    return 0;
  },
};

export function formatStatus(ref: string, generation: number, status: TraceLabStatus | undefined): string {
  if (!status?.phase) return `TraceLab ${ref}: not reconciled yet (no operator running? run tracelab up)`;
  const stale = status.observedGeneration !== generation ? ` (status is of generation ${status.observedGeneration}; the spec is at ${generation})` : '';
  const lines = [`TraceLab ${ref}: ${status.phase}${status.stage ? `, stage ${status.stage} since ${status.stageSince}` : ''}${stale}`];
  if (status.url) lines.push(`URL: ${status.url}`);
  lines.push('', 'Conditions:');
  for (const c of status.conditions ?? []) {
    const [first, ...rest] = c.message.split('\n');
    lines.push(`  ${c.type.padEnd(12)} ${c.status.padEnd(6)} ${c.reason}: ${first}`, ...rest.map((l) => `  ${''.padEnd(20)}${l}`));
  }
  lines.push('', 'Components:');
  for (const c of status.components ?? []) {
    lines.push(
      `  ${c.name.padEnd(36)} ${c.stage.padEnd(11)} ${(c.ready ? 'ready' : 'not ready').padEnd(10)} ${c.replicas.padEnd(10)} ${c.message ?? ''}`.trimEnd(),
    );
  }
  return lines.join('\n');
}
