// The machine a local run happens on, and where each process is pinned. With two cores the
// load generator, collectors and sink share one core and the app under test gets the other:
// contention on that shared core is the main confound, so the plan is recorded in results.
import { cpus, platform, release, totalmem } from 'node:os';
import type { MachineInfo } from '../load/record.ts';

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

export interface PinningPlan {
  /** taskset CPU list for the app under test, or undefined when not pinned. */
  readonly app?: string;
  /** For k6, collectors and the sink. */
  readonly support?: string;
}

export function pinningPlan(cpuCount: number, enabled = process.platform === 'linux'): PinningPlan {
  if (!enabled || cpuCount < 2) return {};
  const last = cpuCount - 1;
  return { app: String(last), support: last === 1 ? '0' : `0-${last - 1}` };
}
