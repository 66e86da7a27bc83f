// Defaults every workload shares: resources from the spec, pull policy that works with
// `kind load`, non-root security contexts. One place, so a chart never re-invents them.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Resources } from '../contracts/spec/fields.ts';

export const LABEL = {
  name: 'app.kubernetes.io/name',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  topology: 'tracelab.dev/topology',
} as const;

export function labels(name: string, component: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [LABEL.name]: name, [LABEL.component]: component, [LABEL.partOf]: 'tracelab', ...extra };
}

function cpu(quantity: string): kplus.Cpu {
  return quantity.endsWith('m') ? kplus.Cpu.millis(Number(quantity.slice(0, -1))) : kplus.Cpu.millis(Math.round(Number(quantity) * 1000));
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1 / 1048576,
  k: 1000 / 1048576,
  Ki: 1 / 1024,
  M: 1e6 / 1048576,
  Mi: 1,
  G: 1e9 / 1048576,
  Gi: 1024,
  T: 1e12 / 1048576,
  Ti: 1048576,
};

export function memory(quantity: string): Size {
  const [, amount, unit] = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity) ?? [];
  const mebibytes = Number(amount) * (MEMORY_UNITS[unit] ?? NaN);
  if (!Number.isFinite(mebibytes)) throw new Error(`not a memory quantity: ${quantity}`);
  return Size.mebibytes(Math.ceil(mebibytes));
}

export function containerResources(r: Resources): kplus.ContainerResources {
  return {
    cpu: { request: cpu(r.requests.cpu), limit: cpu(r.limits.cpu) },
    memory: { request: memory(r.requests.memory), limit: memory(r.limits.memory) },
  };
}

/** Pod-level security for images that run as a fixed non-root uid. */
export function podSecurity(uid: number): kplus.PodSecurityContextProps {
  return { user: uid, group: uid, fsGroup: uid, ensureNonRoot: true };
}

/**
 * Container-level security, as Pod Security `restricted` (what many staging namespaces
 * enforce) demands: non-root, no privilege escalation, every capability dropped, the runtime's
 * default seccomp profile. `writableRoot` is the exception for upstream images whose
 * entrypoints write outside mounted volumes (say so where it is used).
 */
export function containerSecurity(uid: number, writableRoot = false): kplus.ContainerSecurityContextProps {
  return {
    user: uid,
    group: uid,
    ensureNonRoot: true,
    readOnlyRootFilesystem: !writableRoot,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

export const PULL = kplus.ImagePullPolicy.IF_NOT_PRESENT;
