import { Controller } from '../infra/cluster/controller.ts';
import { Kube, loadKubeConfig } from '../infra/cluster/kube.ts';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, UsageError, durationFlag, parseFlags, type Command } from './command.ts';

export const operator: Command = {
  name: 'operator',
  summary: 'run the operator: reconcile the TraceLabs of one namespace until stopped',
  usage: `Usage: tracelab operator [options]

Watches the TraceLab resources of one namespace and reconciles each (the same code as
tracelab up), again on every change, while a stage comes up, on a periodic resync and
after errors with backoff. Stops cleanly on SIGTERM or SIGINT. This is what the operator
Deployment runs (tracelab synth --operator); in a pod it uses its service account.

Options:
  -n, --namespace <ns>     the namespace to watch (default: $POD_NAMESPACE, else the
                           kubeconfig context's namespace)
${CLUSTER_FLAGS_HELP}
      --resync <d>         how often every TraceLab is reconciled anyway (default: 5m)
  -h, --help               show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, { namespace: { type: 'string', short: 'n' }, resync: { type: 'string' }, ...CLUSTER_FLAGS });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const config = loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context });
    const contextNamespace = config.getContextObject(config.getCurrentContext())?.namespace;
    const namespace = values.namespace ?? process.env.POD_NAMESPACE ?? contextNamespace;
    if (!namespace) throw new UsageError('give the namespace to watch: --namespace <ns> (in a pod, POD_NAMESPACE is set by the operator chart)');
    const controller = new Controller(new Kube(config), namespace, { resyncMs: durationFlag('resync', values.resync) });
    await controller.start();
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await controller.stop();
    return 0;
  },
};
