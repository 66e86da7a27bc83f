// Synthetic latency samples shaped like a traced app's: a base latency with a per-request
// jitter shared by both sides (common random numbers, as the lab seeds it), plus — on the
// traced side — a small constant cost and a few discrete stalls per round that delay every
// request completing during them. The stall rate itself varies from round to round (a fresh
// app, a different phase of the export timer), so requests are clustered within rounds.
import type { RoundSamples } from '../../infra/analysis/intervals.ts';
import { seededRandom } from '../../infra/analysis/percentiles.ts';

export interface TailModel {
  readonly ratePerSecond: number;
  readonly roundSeconds: number;
  /** Traced side only. */
  readonly constantMs: number;
  readonly stallsPerSecond: number;
  /** Spread of the per-round stall rate (log-normal sigma). */
  readonly stallRateSigma: number;
  readonly stallMinMs: number;
  readonly stallMeanExtraMs: number;
}

export const DEFAULT_TAIL: TailModel = {
  ratePerSecond: 50,
  roundSeconds: 10,
  constantMs: 0.7,
  stallsPerSecond: 0.6,
  stallRateSigma: 0.6,
  stallMinMs: 15,
  stallMeanExtraMs: 15,
};

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function poisson(mean: number, random: () => number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = random();
  while (u > s && k < 10_000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

/** One round of one side. Same `round` → same per-request jitter on both sides. */
export function syntheticRound(model: TailModel, traced: boolean, round: number, random: () => number): RoundSamples {
  const n = Math.round(model.ratePerSecond * model.roundSeconds);
  const jitter = seededRandom(`jitter-${round}`);
  const start = 1_700_000_000_000 + round * 1_000_000;
  const latency = new Float64Array(n);
  const end = new Float64Array(n);
  const stalls: Array<[number, number]> = [];
  if (traced) {
    const rate = model.stallsPerSecond * Math.exp(model.stallRateSigma * normal(random) - model.stallRateSigma ** 2 / 2);
    const count = poisson(rate * model.roundSeconds, random);
    for (let i = 0; i < count; i++) {
      const at = start + random() * model.roundSeconds * 1000;
      stalls.push([at, at + model.stallMinMs - model.stallMeanExtraMs * Math.log(1 - random())]);
    }
  }
  for (let i = 0; i < n; i++) {
    const arrival = start + (i * 1000) / model.ratePerSecond;
    let ms = 100 + 20 * (jitter() * 2 - 1) + 0.3 * normal(random);
    if (traced) {
      ms += model.constantMs;
      const done = arrival + ms;
      for (const [s, e] of stalls) if (done >= s && done < e) ms += e - done;
    }
    latency[i] = ms;
    end[i] = arrival + ms;
  }
  return { round, latencyMs: latency, endMs: end, sorted: Float64Array.from(latency).sort() };
}

export function syntheticRun(model: TailModel, rounds: number, seed: string): { traced: RoundSamples[]; baseline: RoundSamples[] } {
  const random = seededRandom(seed);
  const traced: RoundSamples[] = [];
  const baseline: RoundSamples[] = [];
  for (let r = 1; r <= rounds; r++) {
    // Jitter is seeded by round number within a run; runs differ by their seed's offset.
    const id = Math.floor(random() * 1e9) + r;
    traced.push({ ...syntheticRound(model, true, id, random), round: r });
    baseline.push({ ...syntheticRound(model, false, id, random), round: r });
  }
  return { traced, baseline };
}
