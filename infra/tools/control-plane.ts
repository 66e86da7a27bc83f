// The binaries of a real Kubernetes control plane without containers: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kubectl and kwok (which plays the nodes). The
// cluster-path tests run against them. Each is built with Go from the module proxy on first
// use and cached per user, keyed by version, so every clone and worktree reuses one build:
//   ${TRACELAB_CACHE:-${XDG_CACHE_HOME:-~/.cache}/tracelab}/<tool>-<version>/bin/
// Neither etcd nor Kubernetes can be `go install`ed (their go.mod files carry replace
// directives); each is built from a small wrapper module instead (FACTS.md, "Real control plane").
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { runBuildStep, type Progress } from './build-step.ts';
import { onPath } from './resolve.ts';
import { CONTROL_PLANE } from './versions.ts';

export interface ControlPlaneBinaries {
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kubectl: string;
  readonly kwok: string;
  /** kwok's own "fast" stages (node heartbeat, pods Ready, Jobs complete, deletion), one file. */
  readonly kwokStages: string;
}

/** Where built tools live; TRACELAB_CACHE overrides it (e.g. a CI cache directory). */
export function toolCacheRoot(): string {
  if (process.env.TRACELAB_CACHE) return process.env.TRACELAB_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tracelab');
}

export async function resolveControlPlane(progress: Progress = () => {}): Promise<ControlPlaneBinaries> {
  const root = toolCacheRoot();
  const k8s = await cached(
    join(root, `kubernetes-${CONTROL_PLANE.kubernetes.version}`),
    [...CONTROL_PLANE.kubernetes.commands],
    progress,
    buildKubernetes,
    '7–17 min',
  );
  const etcd = await cached(join(root, `etcd-${CONTROL_PLANE.etcd.version}`), ['etcd'], progress, buildEtcd, '~1.5 min');
  const kwok = await cached(join(root, `kwok-${CONTROL_PLANE.kwok.version}`), ['kwok', 'stages.yaml'], progress, buildKwok, '~4 min');
  return {
    etcd: join(etcd, 'etcd'),
    kubeApiserver: join(k8s, 'kube-apiserver'),
    kubeControllerManager: join(k8s, 'kube-controller-manager'),
    kubeScheduler: join(k8s, 'kube-scheduler'),
    kubectl: join(k8s, 'kubectl'),
    kwok: join(kwok, 'kwok'),
    kwokStages: join(kwok, 'stages.yaml'),
  };
}

type Build = (workdir: string, bindir: string, progress: Progress) => Promise<void>;

/**
 * `<dir>/bin` when every file is there; else builds into a private directory and renames it
 * into place, so a build that dies half-way (or two that race) never leaves a broken cache.
 */
async function cached(dir: string, files: readonly string[], progress: Progress, build: Build, coldTime: string): Promise<string> {
  const bindir = join(dir, 'bin');
  if (files.every((f) => existsSync(join(bindir, f)))) return bindir;
  if (!onPath('go')) {
    throw new Error(
      `${dir} is missing and there is no Go on PATH to build it. Install Go >= 1.26 (the tests build etcd, Kubernetes and kwok from the Go module proxy), or point TRACELAB_CACHE at a directory that holds them.`,
    );
  }
  const name = dir.split('/').pop()!;
  progress(`${name}: not in ${dirname(dir)}; building it with Go (first run only: ${coldTime} cold on 2 cores)`);
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'work'), { recursive: true });
  mkdirSync(join(partial, 'bin'), { recursive: true });
  try {
    await build(join(partial, 'work'), join(partial, 'bin'), progress);
    rmSync(join(partial, 'work'), { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    if (files.every((f) => existsSync(join(bindir, f)))) return bindir; // another process won the race
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return bindir;
}

const go = (args: readonly string[], cwd: string, progress: Progress, what: string) =>
  runBuildStep('go', args, { cwd, nice: true, env: { GOFLAGS: '-buildvcs=false', GOWORK: 'off' } }, progress, what);

/** Where `go mod download` put a module, and its go.mod. */
async function downloadModule(module: string, version: string, cwd: string, progress: Progress): Promise<{ Dir: string; GoMod: string }> {
  const out = await go(['mod', 'download', '-json', `${module}@${version}`], cwd, progress, `download ${module}@${version}`);
  return JSON.parse(out);
}

/**
 * One `go build` for the four commands so shared packages compile once (422 s on 2 cores,
 * against 7–14 min for the apiserver alone). k8s.io/kubernetes requires its ~31 staging
 * modules at the placeholder v0.0.0; each is replaced by its published v0.<minor>.<patch>.
 */
const buildKubernetes: Build = async (workdir, bindir, progress) => {
  const { version, module, commands } = CONTROL_PLANE.kubernetes;
  writeFileSync(join(workdir, 'go.mod'), `module tracelab.dev/control-plane\n\ngo 1.26\n\nrequire ${module} ${version}\n`);
  const { GoMod } = await downloadModule(module, version, workdir, progress);
  const staging = [...readFileSync(GoMod, 'utf8').matchAll(/^\s+(k8s\.io\/[\w.-]+) v0\.0\.0$/gm)].map((m) => m[1]);
  if (staging.length < 20) throw new Error(`${GoMod}: expected the k8s.io staging modules at v0.0.0, found ${staging.length}`);
  const stagingVersion = version.replace(/^v1\./, 'v0.');
  await go(
    ['mod', 'edit', ...staging.map((m) => `-replace=${m}=${m}@${stagingVersion}`), ...commands.map((c) => `-tool=${module}/cmd/${c}`)],
    workdir,
    progress,
    'go mod edit',
  );
  await go(['mod', 'tidy'], workdir, progress, 'go mod tidy (Kubernetes modules)');
  const [major, minor] = version.slice(1).split('.');
  const ldflags = [
    '-s -w',
    `-X k8s.io/component-base/version.gitVersion=${version}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
  ].join(' ');
  await go(
    ['build', '-trimpath', '-ldflags', ldflags, '-o', `${bindir}/`, ...commands.map((c) => `${module}/cmd/${c}`)],
    workdir,
    progress,
    `Kubernetes ${version}`,
  );
};

const buildEtcd: Build = async (workdir, bindir, progress) => {
  const { version, module } = CONTROL_PLANE.etcd;
  writeFileSync(join(workdir, 'go.mod'), 'module tracelab.dev/etcd\n\ngo 1.26\n');
  await go(['get', '-tool', `${module}@${version}`], workdir, progress, `go get etcd ${version}`);
  await go(['build', '-trimpath', '-ldflags', '-s -w', '-o', join(bindir, 'etcd'), module], workdir, progress, `etcd ${version}`);
};

const buildKwok: Build = async (workdir, bindir, progress) => {
  const { version, module, command } = CONTROL_PLANE.kwok;
  await runBuildStep('go', ['install', `${command}@${version}`], { cwd: workdir, nice: true, env: { GOBIN: bindir } }, progress, `kwok ${version}`);
  const { Dir } = await downloadModule(module, version, workdir, progress);
  writeFileSync(join(bindir, 'stages.yaml'), kwokStages(join(Dir, 'kustomize', 'stage', 'fast')));
};

/**
 * The stage files a kustomization lists, followed recursively, as one multi-document YAML.
 * Without stages kwok moves nothing: nodes never turn Ready, pods never run.
 */
function kwokStages(dir: string): string {
  const { resources = [] } = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  return resources
    .map((resource) => {
      const path = join(dir, resource);
      if (existsSync(join(path, 'kustomization.yaml'))) return kwokStages(path);
      const text = readFileSync(path, 'utf8');
      if (parseAllDocuments(text).some((d) => d.get('kind') !== 'Stage')) throw new Error(`${path}: expected kwok Stage objects only`);
      return text.trimEnd();
    })
    .join('\n---\n');
}
