// Everything the report says in sentences: the caveats, how the intervals were made, the
// verdict per topology and pair, the tail's explanation and the precision loop's outcome.
// The analysis returns data; this module words it once for every format.
import type { Caveat, Overhead, PairComparison, Results, TailAttribution, TopologyResult } from '../analysis/results.ts';
import { ms, ratio, signedMs } from './format.ts';

const list = (names: readonly string[]) => names.join(', ');
const pct = (v: number) => `${Math.round(v * 100)}%`;

export function caveatText(c: Caveat): string {
  switch (c.kind) {
    case 'test-double-backend':
      return c.mode === 'queue'
        ? "Backend: ingest-sink, a test double that answers as Langfuse's OTLP route does and, before its 200, does Langfuse web's work — the key checked through Redis, the batch written to S3 (MinIO), a BullMQ job queued. Langfuse's worker and ClickHouse are not in the loop: queue drain and what the worker loses are not measured."
        : "Backend: ingest-sink in count mode, a test double that speaks Langfuse's OTLP ingestion contract and answers right after decoding. Real Langfuse (web → S3 → Redis → worker → ClickHouse) is not in the loop; export round trips are understated.";
    case 'langfuse-backend':
      return `Backend: Langfuse ${c.version ?? ''} at ${c.url ?? ''}; delivered spans are observations counted through its public API per slot (by the slot's environment). Export lag is time-to-queryable: from the app's flush to the slot's last span being readable (S3, queue, worker, ClickHouse).${c.note ? ` ${c.note}.` : ''}`;
    case 'single-machine':
      return 'Local lab: every process on one machine over loopback. "collector", "sidecar" and "agent" differ only in which collector process an app sends to; cluster networking does not exist here.';
    case 'few-cpus':
      return `${c.cpus} CPUs: k6, the collectors and the sink share one core while the app under test has the other; their contention is part of these numbers (see "cores" below).`;
    case 'core-saturated':
      return `A core was more than 90% busy in a slot of ${list(c.topologies)}: the machine, not only tracing, shaped those latencies.`;
    case 'foreign-load':
      return `Other programs used up to ${pct(c.maxForeign)} of a core during ${c.slots.length} slot(s) kept after re-runs (${list(c.slots.slice(0, 6))}${c.slots.length > 6 ? ', …' : ''}); their figures are disturbed.`;
    case 'quick':
      return 'Quick run: three short rounds. The intervals are wide and p99.9 has none; use the full spec for decisions.';
    case 'interrupted':
      return `Interrupted by ${c.signal} during round ${c.round}: the figures cover the slots that completed; a topology with fewer rounds has a wider interval or none.`;
    case 'no-interval':
      return `No interval for Δ${c.percentile === 'p999' ? 'p99.9' : c.percentile} of ${list(c.topologies)}: it needs at least 3 rounds and ${c.needed} requests per topology (ten above the percentile); add rounds or duration.`;
    case 'dropped-iterations':
      return `k6 dropped iterations for ${list(c.topologies)}: the load generator could not keep the arrival rate, so those tails are understated.`;
    case 'failed-requests':
      return `Failed requests for ${list(c.topologies)}: they are left out of the latency figures and counted in the error rate.`;
    case 'k6-summary-missing':
      return `k6's own summary is missing for ${list(c.slots)}: the cross-check of the percentiles could not run for them.`;
    case 'counting-error':
      return `COUNTING ERROR: the backend counted more spans than the app ended for ${list(c.topologies)}. The loss figures are wrong; please report this.`;
    case 'spans-lost':
      return `Spans were lost for ${list(c.topologies)} (see the spans table for where).`;
  }
}

export function methodText(r: Results): string {
  return `Intervals: ${Math.round(r.interval.confidence * 100)}% ${r.interval.method === 'rounds-jackknife' ? 'rounds as the unit (delete-one-round jackknife of the pooled difference, Student t with rounds − 1 degrees of freedom): a tail is a few stalls that catch several requests at once, so requests are not independent, and each slot runs a fresh app' : r.interval.method}. "not resolved": the interval includes zero — this run cannot tell that difference from noise.`;
}

/** "+1.2 ms [+0.4, +2.0]", "+1.2 ms (not resolved)" style cell text. */
export function overheadCell(o: Overhead | undefined): string {
  if (!o) return '—';
  const value = `${signedMs(o.ms)} ms`;
  if (o.ciLowMs === undefined || o.ciHighMs === undefined) return `${value} (no interval)`;
  const interval = `[${signedMs(o.ciLowMs)}, ${signedMs(o.ciHighMs)}]`;
  return o.resolution === 'not-resolved' ? `${value} ${interval} not resolved` : `**${value} ${interval}**`;
}

export function verdictLines(r: Results): string[] {
  const traced = r.topologies.filter((t) => t.overhead);
  const lines = traced.map((t) => {
    const o = t.overhead!.p99;
    switch (o.resolution) {
      case 'higher':
        return `${t.name}: p99 is ${ms(o.ms)} ms above ${t.baseline} (between ${ms(o.ciLowMs)} and ${ms(o.ciHighMs)} ms).`;
      case 'lower':
        return `${t.name}: p99 is ${ms(-o.ms)} ms below ${t.baseline} (between ${ms(-(o.ciHighMs ?? 0))} and ${ms(-(o.ciLowMs ?? 0))} ms) — tracing cannot make requests faster; look for drift or interference.`;
      case 'not-resolved':
        return `${t.name}: Δp99 ${signedMs(o.ms)} ms, not resolved from ${t.baseline} (interval ${signedMs(o.ciLowMs ?? 0)} to ${signedMs(o.ciHighMs ?? 0)} ms).`;
      default:
        return `${t.name}: Δp99 ${signedMs(o.ms)} ms, no interval (too few rounds or requests).`;
    }
  });
  const unresolved = r.pairs.filter((p) => p.resolution !== 'higher' && p.resolution !== 'lower');
  const resolved = r.pairs.filter((p) => p.resolution === 'higher' || p.resolution === 'lower');
  if (resolved.length) lines.push(`Told apart at p99: ${resolved.map(pairText).join('; ')}.`);
  if (unresolved.length) lines.push(`Not resolved at p99 (this run cannot rank them): ${unresolved.map((p) => `${p.a} vs ${p.b}`).join('; ')}.`);
  return lines;
}

function pairText(p: PairComparison): string {
  const [slower, faster] = p.resolution === 'higher' ? [p.a, p.b] : [p.b, p.a];
  return `${slower} slower than ${faster} by ${ms(Math.abs(p.ms))} ms [${ms(Math.min(Math.abs(p.ciLowMs ?? 0), Math.abs(p.ciHighMs ?? 0)))}, ${ms(Math.max(Math.abs(p.ciLowMs ?? 0), Math.abs(p.ciHighMs ?? 0)))}]`;
}

const CAUSE_WORDS = {
  export: 'an export holding the event loop',
  majorGc: 'a major GC',
  flush: 'an explicit flush',
  minorGc: 'a minor GC',
  stall: 'another event-loop stall',
};

export function attributionText(t: TopologyResult): string | undefined {
  const a: TailAttribution | undefined = t.attribution;
  if (!a || a.slow === 0) return a ? `${t.name}: no request above ${ms(a.thresholdMs)} ms.` : undefined;
  const parts = (Object.keys(CAUSE_WORDS) as Array<keyof typeof CAUSE_WORDS>)
    .filter((k) => a.overlapSlow[k] > 0)
    .map((k) => `${pct(a.overlapSlow[k])} overlapped ${CAUSE_WORDS[k]} (${pct(a.overlapAll[k])} of all requests did)`);
  return `${t.name}: of ${a.slow} requests above ${ms(a.thresholdMs)} ms (baseline p99), ${parts.length ? parts.join(', ') : 'none overlapped anything recorded'}; ${pct(a.primary.nothing)} overlapped nothing seen.`;
}

export function precisionText(r: Results): string | undefined {
  const p = r.precision;
  if (!p) return undefined;
  const how =
    { reached: 'reached', budget: 'stopped by the time budget', 'max-rounds': 'stopped at the round limit', interrupted: 'interrupted' }[p.stopped] ??
    p.stopped;
  const rows = p.topologies.map((t) =>
    t.halfWidthMs === null
      ? `${t.name}: no interval`
      : `${t.name}: ±${ms(t.halfWidthMs)} ms${t.halfWidthMs > p.targetMs && t.roundsNeeded ? ` (±${ms(p.targetMs)} would need about ${t.roundsNeeded} rounds, ${Math.ceil(t.minutesNeeded ?? 0)} min)` : ''}`,
  );
  return `Precision target ±${ms(p.targetMs)} ms on Δp99: ${how} after ${p.roundsUsed} rounds in ${Math.round(p.elapsedMs / 60_000)} min. ${rows.join('; ')}.`;
}

export function lossText(t: TopologyResult): string {
  return `${t.spans.lost}/${t.spans.ended} (${ratio(t.spans.lossRatio)})`;
}
