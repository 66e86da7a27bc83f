// One request of the workload: a chat webhook message, as the target app expects it. Each
// request carries its sequence number in the slot (SEQ_HEADER): the app derives the request's
// simulated LLM jitter from it, so every topology and round sees the same work, and the
// number is kept as sample metadata so the analysis can join client and server records.
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { APP_PATHS, SEQ_HEADER } from '../../contracts/app-metrics.ts';
import type { RunConfig } from './config.ts';

/** Warm-up requests are numbered from here, so they never share a number with measured ones. */
const WARMUP_SEQ_OFFSET = 1_000_000_000;

/** `measured`: whether the request belongs to the measured phase (open model: the scenario "measure"). */
export function sendChatMessage(config: RunConfig, measured = exec.scenario.name === 'measure'): void {
  const seq = exec.scenario.iterationInTest + (measured ? 0 : WARMUP_SEQ_OFFSET);
  const body = JSON.stringify({
    userId: `user-${exec.vu.idInTest}`,
    sessionId: `session-${exec.vu.idInTest}-${Math.floor(exec.vu.iterationInScenario / 10)}`,
    message: 'What is the status of my order?',
  });
  // Metadata, not a tag: one value per request would make a time series per request.
  exec.vu.metrics.metadata.seq = String(seq);
  const response = http.post(`${config.targetUrl}${APP_PATHS.chat}`, body, {
    headers: { 'content-type': 'application/json', [SEQ_HEADER]: String(seq) },
    tags: { name: 'chat' },
    timeout: '30s',
  });
  delete exec.vu.metrics.metadata.seq;
  check(response, { 'status is 200': (r) => r.status === 200 });
}
