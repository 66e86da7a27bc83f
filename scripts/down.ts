import { loadSpecFile } from '../contracts/spec/read.ts';
import { tearDown } from '../infra/cluster/down.ts';
import { deleteKindCluster } from '../infra/cluster/kind.ts';
import { Kube, loadKubeConfig } from '../infra/cluster/kube.ts';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, SPEC_FLAGS, durationFlag, parseFlags, type Command } from './command.ts';

export const down: Command = {
  name: 'down',
  summary: 'delete the TraceLab and everything it made (or the whole kind cluster)',
  usage: `Usage: tracelab down [options]

Deletes the TraceLab resource and runs its cleanup until nothing it made is left: every
object it applied, the Secrets it generated, the datastores' volumes (their data is lost),
and the namespace if tracelab created it. Works with or without the operator running.
With --cluster, deletes the kind cluster "tracelab" instead.

Options:
  -f, --spec <file>        the spec that names the resource (default: tracelab.yaml)
      --name <name>        the TraceLab's name (default: the spec's metadata.name)
  -n, --namespace <ns>     its namespace (default: the spec's namespace)
      --cluster            delete the whole kind cluster
${CLUSTER_FLAGS_HELP}
      --timeout <d>        upper bound for the cleanup (default: 5m)
  -h, --help               show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      spec: SPEC_FLAGS.spec,
      name: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      cluster: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      ...CLUSTER_FLAGS,
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const started = Date.now();
    const progress = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);
    if (values.cluster) {
      await deleteKindCluster(progress);
      return 0;
    }
    const doc = values.name && values.namespace ? undefined : loadSpecFile(values.spec);
    const ref = { name: values.name ?? doc!.metadata.name, namespace: values.namespace ?? doc!.spec.namespace };
    const kube = new Kube(loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context }));
    await tearDown(kube, ref, { timeoutMs: durationFlag('timeout', values.timeout), progress });
    progress(`TraceLab ${ref.namespace}/${ref.name} and everything it made are gone`);
    return 0;
  },
};
