// Closed model: a constant number of concurrent users, each sending its next request when
// the last one answered (after an optional think time). The field report's "at 100 CCU" is
// this model. Unlike the open-model scenarios, a slow answer slows the load down: compare
// closed-model latencies only with closed-model runs, and read throughput beside them.
//
// One scenario runs warm-up and measured phase back to back with the same users, tagging
// each request with its phase. (Two scenarios, as the open model uses, would overlap at the
// boundary: the warm-up users' last requests still in flight while the measuring users start,
// briefly doubling the concurrency the measured phase sees.)
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { runConfig } from '../lib/config.ts';
import { sendChatMessage } from '../lib/chat.ts';
import { durationSeconds, measuredPhaseOptions } from '../lib/phases.ts';

const config = runConfig();
const warmupMs = durationSeconds(config.warmup) * 1000;
const thinkSeconds = durationSeconds(config.thinkTime);

export const options: Options = {
  ...measuredPhaseOptions(),
  scenarios: {
    closed: {
      executor: 'constant-vus',
      vus: config.vus,
      duration: `${durationSeconds(config.warmup) + durationSeconds(config.duration)}s`,
      tags: { topology: config.topology, round: config.round },
    },
  },
};

export default function (): void {
  const measured = exec.instance.currentTestRunDuration >= warmupMs;
  exec.vu.metrics.tags.phase = measured ? 'measure' : 'warmup';
  sendChatMessage(config, measured);
  if (thinkSeconds > 0) sleep(thinkSeconds);
}
