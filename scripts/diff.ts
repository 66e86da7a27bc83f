import { readFileSync } from 'node:fs';
import { loadSpecFile } from '../contracts/spec/read.ts';
import { diffStack, formatChanges } from '../infra/cluster/diff.ts';
import { traceLabObject } from '../infra/cluster/install.ts';
import { Kube, loadKubeConfig } from '../infra/cluster/kube.ts';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, SPEC_FLAGS, SPEC_FLAGS_HELP, parseFlags, profileFlag, type Command } from './command.ts';

export const diff: Command = {
  name: 'diff',
  summary: 'show what `up` would change in the cluster (server-side dry run)',
  usage: `Usage: tracelab diff [options]

Server-side applies the TraceLab object and every object the spec synthesizes with
dryRun=All and compares the API server's answer with the live objects: what would be
created (+), changed (~, field by field), pruned (-) or refused (!, e.g. an immutable
field or a conflict with another field manager). Nothing is changed. Secret values are
never shown. The review step of a staging rollout: diff, then up.

Options:
${SPEC_FLAGS_HELP}
${CLUSTER_FLAGS_HELP}
  -h, --help               show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, { ...SPEC_FLAGS, ...CLUSTER_FLAGS });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const doc = loadSpecFile(values.spec, { profile: profileFlag(values.profile) });
    const kube = new Kube(loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context }));
    const changes = await diffStack(kube, traceLabObject(readFileSync(values.spec, 'utf8'), doc), doc);
    console.log(`tracelab diff: "${doc.metadata.name}" in namespace ${doc.spec.namespace} on ${kube.server}\n`);
    console.log(formatChanges(changes));
    return 0;
  },
};
