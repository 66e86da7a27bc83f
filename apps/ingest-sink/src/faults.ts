// Fault injection: what a struggling Langfuse looks like to an exporter. Set at start from
// SINK_FAULTS (JSON) and at runtime through POST /admin/faults. A fault run sets one with
// `forSeconds`, so the sink itself restores health on time whatever the lab is doing.
import { z } from 'zod';

export const faultsSchema = z.strictObject({
  latencyMs: z.number().min(0).max(120_000).default(0).describe('added before answering'),
  jitterMs: z.number().min(0).max(120_000).default(0),
  errorRate: z.number().min(0).max(1).default(0).describe('share of requests answered with errorStatus'),
  // Langfuse answers a storage failure with 500, which exporters do not retry.
  errorStatus: z.union([z.literal(429), z.literal(500), z.literal(503)]).default(500),
  outageSeconds: z.number().min(0).max(3600).default(0).describe('from now on, every request is refused (outageMode) for this long'),
  outageMode: z
    .enum(['503', 'refuse'])
    .default('503')
    .describe('503: answered by a load balancer in front of a dead Langfuse; refuse: nothing listens (connections refused)'),
  dropRate: z.number().min(0).max(1).default(0).describe('share of connections closed without an answer'),
  forSeconds: z.number().min(0).max(3600).default(0).describe('after this long, every fault is cleared (0: until changed)'),
});
export type FaultSettings = z.output<typeof faultsSchema>;

export type FaultAction = { kind: 'pass'; delayMs: number } | { kind: 'error'; status: number } | { kind: 'drop' };

const HEALTHY = faultsSchema.parse({});

export class Faults {
  private settings: FaultSettings = HEALTHY;
  private outageUntil = 0;
  private clearAt = 0;
  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  /** Replaces the fault settings; throws a zod error naming the bad field. */
  set(input: unknown, now = Date.now()): FaultSettings {
    this.settings = faultsSchema.parse(input);
    this.outageUntil = this.settings.outageSeconds > 0 ? now + this.settings.outageSeconds * 1000 : 0;
    this.clearAt = this.settings.forSeconds > 0 ? now + this.settings.forSeconds * 1000 : 0;
    return this.settings;
  }

  /** The settings in force now (cleared ones read as healthy). */
  current(now = Date.now()): FaultSettings {
    if (this.clearAt > 0 && now >= this.clearAt) {
      this.settings = HEALTHY;
      this.clearAt = 0;
    }
    return this.settings;
  }

  get(now = Date.now()): FaultSettings & { outageRemainingSeconds: number } {
    return { ...this.current(now), outageRemainingSeconds: Math.max(0, (this.outageUntil - now) / 1000) };
  }

  /** Milliseconds of connection refusal ahead, when a refusing outage starts now. */
  refusalMs(now = Date.now()): number {
    return this.current(now).outageMode === 'refuse' ? Math.max(0, this.outageUntil - now) : 0;
  }

  decide(now = Date.now()): FaultAction {
    const s = this.current(now);
    if (now < this.outageUntil) return { kind: 'error', status: 503 };
    if (s.dropRate > 0 && this.random() < s.dropRate) return { kind: 'drop' };
    if (s.errorRate > 0 && this.random() < s.errorRate) return { kind: 'error', status: s.errorStatus };
    const jitter = s.jitterMs > 0 ? (this.random() * 2 - 1) * s.jitterMs : 0;
    return { kind: 'pass', delayMs: Math.max(0, s.latencyMs + jitter) };
  }
}
