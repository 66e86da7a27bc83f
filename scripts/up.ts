import { readFileSync } from 'node:fs';
import { loadSpecFile } from '../contracts/spec/read.ts';
import { accessNotes, up as bringUp } from '../infra/cluster/up.ts';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, SPEC_FLAGS, SPEC_FLAGS_HELP, UsageError, durationFlag, parseFlags, profileFlag, type Command } from './command.ts';

export const up: Command = {
  name: 'up',
  summary: 'deploy the stack to kind or an existing cluster and wait until it is Ready',
  usage: `Usage: tracelab up [options]

Deploys the spec as a TraceLab resource and reconciles it until Ready, stage by stage
(datastores → Langfuse web, which runs the migrations → worker → collectors → apps → k6 Jobs).

With the kind profile (default --cluster kind): checks docker, kind and kubectl, creates the
kind cluster "tracelab" from infra/cluster/kind-config.yaml unless it exists, builds the
app image and loads it into kind. Then, on any cluster: installs the TraceLab CRD, creates
the namespace if missing, generates the stack's Secrets once (random hex; never printed or
written to disk; kept on later runs), applies the TraceLab object and runs the reconciler —
the same code the operator runs. A stage that does not become ready in time is reported
with its failing pod, its last events and log lines. Running it again converges the
cluster to the spec (a changed spec is rolled out; removed topologies are pruned).

Options:
${SPEC_FLAGS_HELP}
      --cluster <c>        kind (default for the kind profile) | existing (default for eks):
                           the kubeconfig's cluster as it is, images pulled from registries
${CLUSTER_FLAGS_HELP}
      --stage-timeout <d>  how long each stage may take, e.g. 5m (default: per stage,
                           datastores 5m, web 12m, worker 5m, collectors 3m, apps 5m)
      --timeout <d>        upper bound for the whole run (default: the stage timeouts + 5m)
  -h, --help               show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      ...SPEC_FLAGS,
      ...CLUSTER_FLAGS,
      cluster: { type: 'string' },
      'stage-timeout': { type: 'string' },
      timeout: { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const doc = loadSpecFile(values.spec, { profile: profileFlag(values.profile) });
    const cluster = values.cluster ?? (doc.spec.profile === 'kind' ? 'kind' : 'existing');
    if (cluster !== 'kind' && cluster !== 'existing') throw new UsageError(`--cluster must be kind or existing, got "${cluster}"`);
    const started = Date.now();
    const progress = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);
    progress(
      `tracelab up: "${doc.metadata.name}" (profile ${doc.spec.profile}) into namespace ${doc.spec.namespace} on ${cluster === 'kind' ? 'kind' : 'the current cluster'}`,
    );
    await bringUp({
      text: readFileSync(values.spec, 'utf8'),
      doc,
      cluster,
      target: { kubeconfig: values.kubeconfig, context: values.context },
      stageTimeoutMs: durationFlag('stage-timeout', values['stage-timeout']),
      timeoutMs: durationFlag('timeout', values.timeout),
      progress,
    });
    progress('Ready: every component is up');
    console.log(`\n${accessNotes(doc).join('\n')}`);
    return 0;
  },
};
