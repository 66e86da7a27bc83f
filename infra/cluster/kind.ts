// The laptop path of `tracelab up`: the tools it needs (each missing one named, with where to
// get it), the kind cluster from the config kept next to this file, and the app images built
// and loaded into it (kind nodes cannot pull images that only exist on the laptop).
import { spawnSync } from 'node:child_process';
import { KIND_BUDGET } from '../../contracts/spec/profiles.ts';
import { runBuildStep, type Progress } from '../tools/build-step.ts';
import { onPath } from '../tools/resolve.ts';

export const KIND_CLUSTER = 'tracelab';
export const KIND_CONTEXT = `kind-${KIND_CLUSTER}`;
export const KIND_CONFIG = new URL('./kind-config.yaml', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

/** Images tracelab builds itself, and from which Dockerfile. */
/** Images built from this repository (Dockerfile and build args), by their default tags. */
export const LOCAL_IMAGES: Record<string, { readonly dockerfile: string; readonly args?: Readonly<Record<string, string>> }> = {
  'tracelab/target-node:0.1.0': { dockerfile: 'apps/target-node/Dockerfile' },
  'tracelab/target-python:0.1.0-sdk3': { dockerfile: 'apps/target-python/Dockerfile', args: { SDK_LINE: '3' } },
  'tracelab/target-python:0.1.0-sdk5': { dockerfile: 'apps/target-python/Dockerfile', args: { SDK_LINE: '5' } },
  'tracelab/operator:0.1.0': { dockerfile: 'infra/cluster/operator.Dockerfile' },
};

const TOOLS = {
  docker: 'Docker (Docker Desktop, Colima or Docker Engine): https://docs.docker.com/get-docker/',
  kind: 'kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (brew install kind, or go install sigs.k8s.io/kind@latest)',
  kubectl: 'kubectl: https://kubernetes.io/docs/tasks/tools/',
} as const;

function run(command: string, args: string[], timeoutMs: number) {
  return spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
}

/** Throws one error naming every missing tool, or a Docker daemon that does not answer. */
export function checkKindTools(progress: Progress): void {
  const missing = Object.entries(TOOLS)
    .filter(([tool]) => !onPath(tool))
    .map(([tool, where]) => `  ${tool} is not on PATH: install ${where}`);
  if (missing.length > 0)
    throw new Error(
      `the kind profile needs docker, kind and kubectl:\n${missing.join('\n')}\nOr deploy to a cluster you have: tracelab up --cluster existing --context <name>`,
    );
  const info = run('docker', ['info', '--format', '{{.NCPU}} {{.MemTotal}}'], 20_000);
  if (info.status !== 0)
    throw new Error(
      `docker is installed but its daemon does not answer (${(info.stderr || info.error?.message || '').trim().split('\n')[0]}): start Docker Desktop (or the Docker service) and try again`,
    );
  const [cpus, memory] = info.stdout.trim().split(' ').map(Number);
  const { cpus: needCpus, memoryGiB } = KIND_BUDGET.dockerVm;
  if (cpus < needCpus || memory < memoryGiB * 0.95 * 2 ** 30) {
    progress(
      `warning: Docker has ${cpus} CPUs and ${(memory / 2 ** 30).toFixed(1)} GiB; the kind profile wants ${needCpus} CPUs and ${memoryGiB} GiB (Docker Desktop: Settings → Resources)`,
    );
  }
}

export function kindClusterExists(): boolean {
  const clusters = run('kind', ['get', 'clusters'], 30_000);
  return clusters.status === 0 && clusters.stdout.split('\n').includes(KIND_CLUSTER);
}

/** `kubeconfig`: where kind writes the cluster's context (default: kind's, i.e. $KUBECONFIG or ~/.kube/config). */
export async function ensureKindCluster(progress: Progress, kubeconfig?: string): Promise<{ created: boolean }> {
  if (kindClusterExists()) {
    progress(`kind cluster "${KIND_CLUSTER}" exists; using it`);
    return { created: false };
  }
  progress(`creating kind cluster "${KIND_CLUSTER}" from ${KIND_CONFIG} (a minute or two)`);
  await runBuildStep(
    'kind',
    ['create', 'cluster', '--name', KIND_CLUSTER, '--config', KIND_CONFIG, '--wait', '180s', ...(kubeconfig ? ['--kubeconfig', kubeconfig] : [])],
    { cwd: ROOT },
    progress,
    'kind create cluster',
  );
  return { created: true };
}

/** Builds each tracelab image the stack uses and loads it into the kind nodes. */
export async function loadImages(images: readonly string[], progress: Progress): Promise<void> {
  for (const image of images) {
    const local = LOCAL_IMAGES[image];
    if (!local) continue; // pulled from its registry by the nodes
    progress(`building ${image} (${local.dockerfile})`);
    const buildArgs = Object.entries(local.args ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
    await runBuildStep('docker', ['build', '-f', local.dockerfile, ...buildArgs, '-t', image, '.'], { cwd: ROOT }, progress, `docker build ${image}`);
    await runBuildStep('kind', ['load', 'docker-image', image, '--name', KIND_CLUSTER], { cwd: ROOT }, progress, `kind load ${image}`);
  }
}

export async function deleteKindCluster(progress: Progress): Promise<void> {
  if (!onPath('kind')) throw new Error(`kind is not on PATH: install ${TOOLS.kind}`);
  if (!kindClusterExists()) {
    progress(`no kind cluster "${KIND_CLUSTER}"; nothing to delete`);
    return;
  }
  await runBuildStep('kind', ['delete', 'cluster', '--name', KIND_CLUSTER], { cwd: ROOT }, progress, 'kind delete cluster');
}
