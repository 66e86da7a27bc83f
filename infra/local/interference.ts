// Other programs on the machine during a slot. Each core's busy time comes from /proc/stat;
// the lab's own processes' CPU time from /proc/<pid>/stat (and, for processes that exited
// during the slot, such as k6, from this process's reaped-children time). With the app
// pinned to one core and everything else of the lab to the others, what a core was busy with
// beyond the lab's own processes on it is foreign load — a compiler, a browser, a noisy
// neighbour (steal). A slot with too much of it is re-run or flagged. Linux only; elsewhere
// the readings are empty and nothing is flagged.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc times (USER_HZ, 100 on every Linux build in practice). */
const TICKS = 100;

export interface CoreTimes {
  /** user + nice + system, in seconds: time the core ran tasks (interrupts excluded). */
  readonly tasks: number;
  /** Time the hypervisor gave this virtual core to someone else. */
  readonly steal: number;
  /** All time, busy or idle. */
  readonly total: number;
}

export function readCoreTimes(statText?: string): Map<string, CoreTimes> {
  const out = new Map<string, CoreTimes>();
  let text = statText;
  try {
    text ??= readFileSync('/proc/stat', 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[2].trim().split(/\s+/).map(Number);
    out.set(`cpu${match[1]}`, {
      tasks: (user + nice + system) / TICKS,
      steal: steal / TICKS,
      total: (user + nice + system + idle + iowait + irq + softirq + steal) / TICKS,
    });
  }
  return out;
}

/** utime + stime of a live process in seconds (all its threads); undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** This process's own CPU plus that of its children it has reaped (k6 after each slot). */
export function selfAndReapedChildrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  }
}

/** CPU of this process's children it has reaped (an app restarted by a fault run, once it exited). */
export function reapedChildrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / TICKS;
  } catch {
    return 0;
  }
}

export interface CoreInterference {
  /** Share of wall time the core ran any task (0..1). */
  readonly busy: number;
  /** Share taken by the lab's own processes pinned to it. */
  readonly lab: number;
  /** busy − lab, plus steal: what other programs took. Never negative. */
  readonly foreign: number;
  readonly steal: number;
}

export interface InterferenceReading {
  readonly seconds: number;
  readonly cores: Record<string, CoreInterference>;
  /** The largest foreign share over the cores. */
  readonly maxForeign: number;
}

/**
 * Foreign load per core between two readings. `labSeconds` maps a core set (a taskset list
 * such as "1" or "0" or "0-2") to the CPU seconds the lab's processes pinned there used.
 * Cores of a multi-core set share their lab time evenly.
 */
export function interference(before: Map<string, CoreTimes>, after: Map<string, CoreTimes>, labSeconds: Record<string, number>): InterferenceReading {
  const labPerCore = new Map<string, number>();
  for (const [set, seconds] of Object.entries(labSeconds)) {
    const cores = expandCpuList(set);
    for (const core of cores) labPerCore.set(`cpu${core}`, (labPerCore.get(`cpu${core}`) ?? 0) + seconds / cores.length);
  }
  const cores: Record<string, CoreInterference> = {};
  let seconds = 0;
  for (const [cpu, a] of after) {
    const b = before.get(cpu);
    if (!b || a.total <= b.total) continue;
    const wall = a.total - b.total;
    seconds = Math.max(seconds, wall);
    const busy = (a.tasks - b.tasks) / wall;
    const steal = (a.steal - b.steal) / wall;
    const lab = Math.min(busy, (labPerCore.get(cpu) ?? 0) / wall);
    cores[cpu] = { busy, lab, steal, foreign: Math.max(0, busy - lab) + steal };
  }
  const maxForeign = Math.max(0, ...Object.values(cores).map((c) => c.foreign));
  return { seconds, cores, maxForeign };
}

/** "0-2,5" → [0, 1, 2, 5] */
export function expandCpuList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) continue;
    for (let c = a; c <= (Number.isInteger(b) ? b : a); c++) out.push(c);
  }
  return out;
}
