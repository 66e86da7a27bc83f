// Spike: the target rate, a burst at five times it for a tenth of the phase, then back —
// do export queues absorb a burst or drop spans?
import { runConfig } from '../lib/config.ts';
import { sendChatMessage } from '../lib/chat.ts';
import { withWarmup } from '../lib/phases.ts';

const config = runConfig();
const seconds = Math.max(10, Number(/^(\d+)/.exec(config.duration)?.[1] ?? 30) * ({ s: 1, m: 60, h: 3600 }[/([smh])$/.exec(config.duration)?.[1] ?? 's'] ?? 1));
const tenth = `${Math.max(1, Math.round(seconds / 10))}s`;

export const options = withWarmup(config, {
  executor: 'ramping-arrival-rate',
  startRate: config.rate,
  timeUnit: '1s',
  stages: [
    { target: config.rate, duration: `${Math.round(seconds * 0.4)}s` },
    { target: config.rate * 5, duration: '1s' },
    { target: config.rate * 5, duration: tenth },
    { target: config.rate, duration: '1s' },
    { target: config.rate, duration: `${Math.round(seconds * 0.4)}s` },
  ],
  preAllocatedVUs: config.preAllocatedVUs,
  maxVUs: config.maxVUs * 5,
});

export default function (): void {
  sendChatMessage(config);
}
