// The compact per-request samples of a slot's measured phase, written by the load stage and
// read by the analysis: one CSV line per request, "end_ms,latency_ms,ok,seq".
//   end_ms     when k6 recorded the response (epoch ms); the request ran latency_ms before it
//   latency_ms client-side latency (k6 http_req_duration)
//   ok         1 for a 200 answer, else 0 — failed requests are kept here but leave the
//              latency figures (the analysis counts them as errors)
//   seq        the request's sequence number (x-tracelab-seq), -1 when unknown
import { readFileSync } from 'node:fs';

export const SAMPLES_HEADER = 'end_ms,latency_ms,ok,seq';

export interface Sample {
  readonly endMs: number;
  readonly latencyMs: number;
  readonly ok: boolean;
  readonly seq: number;
}

export function sampleLine(s: Sample): string {
  return `${s.endMs},${s.latencyMs},${s.ok ? 1 : 0},${s.seq}`;
}

export interface SlotSamples {
  /** Every request, in file order. */
  readonly endMs: Float64Array;
  readonly latencyMs: Float64Array;
  readonly ok: Uint8Array;
  readonly seq: Float64Array;
  /** Latencies of the successful requests only: what the percentiles are computed from. */
  readonly okLatencyMs: Float64Array;
  readonly failed: number;
}

/** Reads a samples file back; a malformed line is an error naming the file and line. */
export function readSamples(path: string): SlotSamples {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read samples ${path}: ${(error as Error).message}`);
  }
  const lines = text.split('\n');
  if (lines[0] !== SAMPLES_HEADER) throw new Error(`${path}: not a samples file (first line should be "${SAMPLES_HEADER}", got "${lines[0].slice(0, 60)}")`);
  const body = lines.slice(1).filter(Boolean);
  const endMs = new Float64Array(body.length);
  const latencyMs = new Float64Array(body.length);
  const ok = new Uint8Array(body.length);
  const seq = new Float64Array(body.length);
  const good: number[] = [];
  body.forEach((line, i) => {
    const [end, ms, isOk, n] = line.split(',');
    endMs[i] = Number(end);
    latencyMs[i] = Number(ms);
    ok[i] = isOk === '1' ? 1 : 0;
    seq[i] = n === undefined ? -1 : Number(n);
    if (!Number.isFinite(endMs[i]) || !Number.isFinite(latencyMs[i]) || (isOk !== '0' && isOk !== '1')) {
      throw new Error(`${path}:${i + 2}: malformed sample "${line.slice(0, 80)}"`);
    }
    if (ok[i]) good.push(latencyMs[i]);
  });
  return { endMs, latencyMs, ok, seq, okLatencyMs: Float64Array.from(good), failed: body.length - good.length };
}
