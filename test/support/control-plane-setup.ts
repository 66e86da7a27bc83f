// Global setup of the cluster-path tests (vitest project "cluster"): builds the control plane
// on first use (cached per user, see infra/tools/control-plane.ts), starts it once for all
// cluster test files, and stops it afterwards — no process outlives the run.
import type { TestProject } from 'vitest/node';
import { resolveControlPlane } from '../../infra/tools/control-plane.ts';
import { startControlPlane } from './control-plane.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const progress = (line: string) => process.stderr.write(`[control plane] ${line}\n`);
  const started = Date.now();
  const bins = await resolveControlPlane(progress);
  const plane = await startControlPlane(bins, progress);
  progress(`up in ${((Date.now() - started) / 1000).toFixed(1)}s at ${plane.server}`);
  project.provide('kubeconfig', plane.kubeconfig);
  project.provide('kubectl', bins.kubectl);
  return () => plane.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    kubectl: string;
  }
}
