// Fault injection: what a struggling Langfuse looks like to an exporter. Set at start from
// SINK_FAULTS (JSON) and at runtime through POST /admin/faults.
import { z } from 'zod';

export const faultsSchema = z.strictObject({
  latencyMs: z.number().min(0).max(120_000).default(0).describe('added before answering'),
  jitterMs: z.number().min(0).max(120_000).default(0),
  errorRate: z.number().min(0).max(1).default(0).describe('share of requests answered with errorStatus'),
  errorStatus: z.union([z.literal(429), z.literal(500), z.literal(503)]).default(503),
  outageSeconds: z.number().min(0).max(3600).default(0).describe('from now on, every request gets 503 for this long'),
  dropRate: z.number().min(0).max(1).default(0).describe('share of connections closed without an answer'),
});
export type FaultSettings = z.output<typeof faultsSchema>;

export type FaultAction = { kind: 'pass'; delayMs: number } | { kind: 'error'; status: number } | { kind: 'drop' };

export class Faults {
  private settings: FaultSettings = faultsSchema.parse({});
  private outageUntil = 0;
  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  /** Replaces the fault settings; throws a zod error naming the bad field. */
  set(input: unknown, now = Date.now()): FaultSettings {
    this.settings = faultsSchema.parse(input);
    this.outageUntil = this.settings.outageSeconds > 0 ? now + this.settings.outageSeconds * 1000 : 0;
    return this.settings;
  }

  get(): FaultSettings & { outageRemainingSeconds: number } {
    return { ...this.settings, outageRemainingSeconds: Math.max(0, (this.outageUntil - Date.now()) / 1000) };
  }

  decide(now = Date.now()): FaultAction {
    const s = this.settings;
    if (now < this.outageUntil) return { kind: 'error', status: 503 };
    if (s.dropRate > 0 && this.random() < s.dropRate) return { kind: 'drop' };
    if (s.errorRate > 0 && this.random() < s.errorRate) return { kind: 'error', status: s.errorStatus };
    const jitter = s.jitterMs > 0 ? (this.random() * 2 - 1) * s.jitterMs : 0;
    return { kind: 'pass', delayMs: Math.max(0, s.latencyMs + jitter) };
  }
}
