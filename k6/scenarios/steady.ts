// Steady: a constant arrival rate (open model), so a slow response does not slow the load
// down and hide itself (coordinated omission). The scenario for overhead comparisons.
import { runConfig } from '../lib/config.ts';
import { sendChatMessage } from '../lib/chat.ts';
import { constantArrival, withWarmup } from '../lib/phases.ts';

const config = runConfig();

export const options = withWarmup(config, constantArrival(config));

export default function (): void {
  sendChatMessage(config);
}
