// The machine a local run happens on, and where each process is pinned. With two cores the
// load generator, collectors and sink share one core and the app under test gets the other:
// contention on that shared core is the main confound, so the plan is recorded in results.
import { readFileSync } from 'node:fs';
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

/** Cumulative busy and total jiffies per CPU from /proc/stat (Linux); empty elsewhere. */
export function cpuTimes(): Map<string, { busy: number; total: number }> {
  const out = new Map<string, { busy: number; total: number }>();
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[2].trim().split(/\s+/).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    out.set(`cpu${match[1]}`, { busy, total: busy + idle + iowait });
  }
  return out;
}

/** Busy share (0..1) of each CPU between two cpuTimes() readings. */
export function cpuBusy(before: Map<string, { busy: number; total: number }>, after: Map<string, { busy: number; total: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cpu, a] of after) {
    const b = before.get(cpu);
    if (b && a.total > b.total) out[cpu] = (a.busy - b.busy) / (a.total - b.total);
  }
  return out;
}
