// Soak: the steady rate held for a long measured phase (set load.duration to minutes or
// hours) — does memory, queue depth or export lag creep?
import { runConfig } from '../lib/config.ts';
import { sendChatMessage } from '../lib/chat.ts';
import { constantArrival, withWarmup } from '../lib/phases.ts';

const config = runConfig();

export const options = withWarmup(config, constantArrival(config, { gracefulStop: '30s' }));

export default function (): void {
  sendChatMessage(config);
}
