// OTLP straight into a collector, no app in front: the gateway's own ceiling. Each iteration
// posts one pre-encoded protobuf batch (written by infra/load/otlp-body.ts) at a constant
// arrival rate (open model), so a collector that slows down cannot slow the load; a refusal
// (429/503 from the memory limiter or a full queue) is a failed request.
import { check } from 'k6';
import http from 'k6/http';
import { K6_OTLP_ENV } from '../../contracts/k6-env.ts';
import { runConfig } from '../lib/config.ts';
import { constantArrival, withWarmup } from '../lib/phases.ts';

const config = runConfig();
const body = open(__ENV[K6_OTLP_ENV.bodyFile], 'b');

export const options = withWarmup(config, constantArrival(config));

export default function (): void {
  const response = http.post(config.targetUrl, body, {
    headers: { 'content-type': 'application/x-protobuf' },
    tags: { name: 'otlp' },
    timeout: '30s',
  });
  check(response, { 'status is 200': (r) => r.status === 200 });
}
