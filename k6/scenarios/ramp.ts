// Ramp: arrival rate climbs from a tenth of the target to twice the target over the measured
// phase — where does the tail start to grow?
import { runConfig } from '../lib/config.ts';
import { sendChatMessage } from '../lib/chat.ts';
import { withWarmup } from '../lib/phases.ts';

const config = runConfig();

export const options = withWarmup(config, {
  executor: 'ramping-arrival-rate',
  startRate: Math.max(1, Math.round(config.rate / 10)),
  timeUnit: '1s',
  stages: [{ target: config.rate * 2, duration: config.duration }],
  preAllocatedVUs: config.preAllocatedVUs,
  maxVUs: config.maxVUs,
});

export default function (): void {
  sendChatMessage(config);
}
