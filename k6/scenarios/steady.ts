// Steady load: a constant arrival rate (open model), so a slow response does not slow the
// load down and hide itself (coordinated omission).
import type { Options } from 'k6/options';
import { runConfig } from '../lib/config.ts';
import { sendChatMessage } from '../lib/chat.ts';

const config = runConfig();

export const options: Options = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate: config.rate,
      timeUnit: '1s',
      duration: config.duration,
      preAllocatedVUs: config.preAllocatedVUs,
      maxVUs: config.maxVUs,
      tags: { topology: config.topology, round: config.round },
    },
  },
  thresholds: {
    // Iterations k6 could not start on time mean the load generator, not the app, was the limit.
    dropped_iterations: ['count<1'],
    http_req_failed: ['rate<0.01'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'count'],
};

export default function (): void {
  sendChatMessage(config);
}
