// Every scenario has two phases: a warm-up at the target load (JIT, connection pools,
// first exports) and the measured phase that starts when the warm-up ends. The analysis
// keeps only samples of the measured phase (open model: the scenario "measure"; closed
// model: requests tagged phase=measure, see scenarios/closed.ts).
import type { Options, Scenario } from 'k6/options';
import type { RunConfig } from './config.ts';

export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'count'];

export function withWarmup(config: RunConfig, measure: Scenario): Options {
  const tags = { topology: config.topology, round: config.round };
  return {
    ...measuredPhaseOptions(),
    scenarios: {
      warmup: {
        executor: 'constant-arrival-rate',
        rate: config.rate,
        timeUnit: '1s',
        duration: config.warmup,
        preAllocatedVUs: config.preAllocatedVUs,
        maxVUs: config.maxVUs,
        tags: { ...tags, phase: 'warmup' },
      },
      measure: { ...measure, startTime: config.warmup, tags: { ...tags, phase: 'measure' } } as Scenario,
    },
  };
}

/** Thresholds and summary stats of the measured phase (requests tagged phase=measure). */
export function measuredPhaseOptions(): Options {
  return {
    thresholds: {
      // Iterations k6 could not start on time: the load generator, not the app, was the limit.
      'dropped_iterations{phase:measure}': ['count<1'],
      'http_req_failed{phase:measure}': ['rate<0.01'],
      // Always true; it makes k6's own summary report the measured phase's successful
      // requests on their own, which the lab uses to cross-check its percentiles.
      'http_req_duration{phase:measure,expected_response:true}': ['max>=0'],
    },
    summaryTrendStats: SUMMARY_TREND_STATS,
  };
}

/** The open-model executor steady and soak share: a constant arrival rate for the measured phase. */
export function constantArrival(config: RunConfig, extra: Partial<Scenario> = {}): Scenario {
  return {
    executor: 'constant-arrival-rate',
    rate: config.rate,
    timeUnit: '1s',
    duration: config.duration,
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    ...extra,
  } as Scenario;
}

/** "250ms" | "2s" | "1m" | "1h" as seconds (the spec's duration format). */
export function durationSeconds(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${JSON.stringify(text)} (expected e.g. "250ms" or "2s")`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}
