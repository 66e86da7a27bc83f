// One request of the workload: a chat webhook message, as the target app expects it.
import http from 'k6/http';
import { check } from 'k6';
import type { RunConfig } from './config.ts';

export function sendChatMessage(config: RunConfig): void {
  const body = JSON.stringify({
    userId: `user-${__VU}`,
    sessionId: `session-${__VU}-${Math.floor(__ITER / 10)}`,
    message: 'What is the status of my order?',
  });
  const response = http.post(`${config.targetUrl}/webhook/chat`, body, {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'chat' },
    timeout: '30s',
  });
  check(response, { 'status is 200': (r) => r.status === 200 });
}
