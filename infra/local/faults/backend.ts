// Backend faults on ingest-sink: a spec fault → the sink's fault settings (POST /admin/faults).
// Each carries forSeconds, so the sink restores health on time by itself, whatever the lab is
// doing meanwhile; the lab clears it again when the fault's time is up and after the slot.
import { durationMs } from '../../../contracts/duration.ts';
import type { Fault } from '../../../contracts/spec/schema.ts';

/** The sink settings for one backend fault (apps/ingest-sink/src/faults.ts). */
export function sinkFaultSettings(fault: Fault): Record<string, number | string> {
  const seconds = durationMs(fault.duration) / 1000;
  switch (fault.kind) {
    case 'backend-outage':
      return { outageSeconds: seconds, outageMode: fault.response, forSeconds: seconds };
    case 'backend-slow':
      return { latencyMs: durationMs(fault.latency), jitterMs: durationMs(fault.jitter), forSeconds: seconds };
    case 'backend-errors':
      return { errorRate: fault.ratio, errorStatus: fault.status, forSeconds: seconds };
    default:
      throw new Error(`${fault.kind} is not a backend fault`);
  }
}

export async function setSinkFaults(adminUrl: string, settings: Record<string, number | string> | undefined): Promise<void> {
  const response = await fetch(`${adminUrl}/admin/faults`, {
    method: settings ? 'POST' : 'DELETE',
    body: settings ? JSON.stringify(settings) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ingest-sink refused fault settings ${JSON.stringify(settings)}: ${response.status} ${text.slice(0, 300)}`);
}
