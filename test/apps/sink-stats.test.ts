// ingest-sink's counting, in-process: what arrives is grouped by (service, topology, run) and
// counted exactly — spans, distinct traces, roots, generations, bytes, requests — with the
// lag from span end to arrival in a log-bucketed histogram.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SinkSpan } from '../../apps/ingest-sink/src/otlp-decode.ts';
import { IngestStats, LagHistogram } from '../../apps/ingest-sink/src/stats.ts';
import { runs } from '../support/property-runs.ts';

const ARRIVED = 1_000_000;
let next = 0;
function span(over: Partial<SinkSpan> & { service?: string; topology?: string; type?: string } = {}): SinkSpan {
  const { service = 'svc', topology = 'inprocess', type = 'span', ...rest } = over;
  next++;
  return {
    traceId: `t${next}`,
    spanId: `s${next}`,
    parentSpanId: 'p',
    name: 'x',
    endTimeMs: ARRIVED - 10,
    attributes: { 'langfuse.observation.type': type },
    resource: { 'service.name': service, 'tracelab.topology': topology },
    ...rest,
  };
}

describe('IngestStats', () => {
  it('counts spans, distinct traces, roots and generations per group', () => {
    const stats = new IngestStats();
    stats.record(
      [span({ traceId: 'a', parentSpanId: '' }), span({ traceId: 'a', type: 'generation' }), span({ traceId: 'a' }), span({ traceId: 'b', parentSpanId: '' })],
      400,
      ARRIVED,
    );
    const [group] = stats.toJSON().groups;
    expect(group).toMatchObject({
      service: 'svc',
      topology: 'inprocess',
      run: 'default',
      spans: 4,
      traces: 2,
      rootSpans: 2,
      generations: 1,
      requests: 1,
      bytes: 400,
    });
    expect(stats.toJSON().totals).toEqual({ spans: 4, traces: 2, rootSpans: 2, generations: 1 });
  });

  it('a span without service or topology is counted under "unknown"', () => {
    const stats = new IngestStats();
    stats.record([{ ...span(), resource: {} }], 10, ARRIVED);
    expect(stats.toJSON().groups[0]).toMatchObject({ service: 'unknown', topology: 'unknown' });
  });

  it('splits a request over the groups it touched: each counts the request, bytes are shared evenly', () => {
    const stats = new IngestStats();
    stats.record([span({ topology: 'a' }), span({ topology: 'a' }), span({ topology: 'b' })], 300, ARRIVED);
    stats.record([span({ topology: 'a' })], 50, ARRIVED);
    const byTopology = Object.fromEntries(stats.toJSON().groups.map((g) => [g.topology, g]));
    expect(byTopology.a).toMatchObject({ spans: 3, requests: 2, bytes: 200 });
    expect(byTopology.b).toMatchObject({ spans: 1, requests: 1, bytes: 150 });
  });

  it('groups by run label, and a span of the same service and topology in another run is another group', () => {
    const stats = new IngestStats();
    stats.run = 'round-1';
    stats.record([span()], 1, ARRIVED);
    stats.run = 'round-2';
    stats.record([span(), span()], 1, ARRIVED);
    expect(stats.toJSON().groups.map((g) => [g.run, g.spans])).toEqual([
      ['round-1', 1],
      ['round-2', 2],
    ]);
    expect(stats.toJSON().run).toBe('round-2');
  });

  it('the same trace in two groups counts once in each', () => {
    const stats = new IngestStats();
    stats.record([span({ traceId: 'shared', topology: 'a' }), span({ traceId: 'shared', topology: 'b' })], 0, ARRIVED);
    expect(stats.toJSON().totals.traces).toBe(2);
  });

  it('measures lag from span end to arrival', () => {
    const stats = new IngestStats();
    stats.record([span({ endTimeMs: ARRIVED - 250 }), span({ endTimeMs: ARRIVED - 750 })], 0, ARRIVED);
    const { lag } = stats.toJSON().groups[0];
    expect(lag.count).toBe(2);
    expect(lag.meanMs).toBe(500);
    expect(lag.maxMs).toBe(750);
  });

  it('counts rejected requests per status', () => {
    const stats = new IngestStats();
    stats.reject(401);
    stats.reject(503);
    stats.reject(503);
    expect(stats.toJSON().rejected).toEqual({ '401': 1, '503': 2 });
  });

  it('reset forgets groups, rejections and kept spans but keeps the run label', () => {
    const stats = new IngestStats(10);
    stats.run = 'r';
    stats.record([span()], 1, ARRIVED);
    stats.reject(400);
    stats.reset();
    expect(stats.toJSON()).toEqual({
      backend: 'ingest-sink',
      run: 'r',
      totals: { spans: 0, traces: 0, rootSpans: 0, generations: 0 },
      groups: [],
      rejected: {},
    });
    expect(stats.kept).toEqual([]);
  });

  it('keeps the newest keepSpans spans for inspection, and none by default', () => {
    const kept = new IngestStats(3);
    const spans = [span(), span(), span(), span(), span()];
    kept.record(spans.slice(0, 2), 0, ARRIVED);
    kept.record(spans.slice(2), 0, ARRIVED);
    expect(kept.kept).toEqual(spans.slice(2));
    const none = new IngestStats();
    none.record(spans, 0, ARRIVED);
    expect(none.kept).toEqual([]);
  });

  it('property: for any batches, the totals equal what was sent, whatever the grouping', () => {
    const spanArb = fc.record({
      trace: fc.integer({ min: 0, max: 5 }),
      root: fc.boolean(),
      generation: fc.boolean(),
      topology: fc.constantFrom('a', 'b', 'c'),
    });
    fc.assert(
      fc.property(fc.array(fc.array(spanArb, { minLength: 1, maxLength: 8 }), { maxLength: 6 }), (batches) => {
        const stats = new IngestStats();
        for (const batch of batches) {
          stats.record(
            batch.map((s) =>
              span({ traceId: `t${s.trace}`, parentSpanId: s.root ? '' : 'p', type: s.generation ? 'generation' : 'span', topology: s.topology }),
            ),
            120,
            ARRIVED,
          );
        }
        const all = batches.flat();
        const json = stats.toJSON();
        expect(json.totals.spans).toBe(all.length);
        expect(json.totals.rootSpans).toBe(all.filter((s) => s.root).length);
        expect(json.totals.generations).toBe(all.filter((s) => s.generation).length);
        expect(json.totals.traces).toBe(new Set(all.map((s) => `${s.topology}/${s.trace}`)).size);
        expect(json.groups.reduce((n, g) => n + g.bytes, 0)).toBeCloseTo(120 * batches.length, 6);
        expect(json.groups.reduce((n, g) => n + g.requests, 0)).toBe(batches.reduce((n, b) => n + new Set(b.map((s) => s.topology)).size, 0));
      }),
      runs(100),
    );
  });
});

describe('LagHistogram', () => {
  it('is all zeros before anything is recorded', () => {
    expect(new LagHistogram().summary()).toEqual({
      histogram: { minMs: 0.1, factor: 1.05, buckets: [] },
      count: 0,
      meanMs: 0,
      p50Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
      maxMs: 0,
    });
  });

  it('counts a negative lag (clock skew) as 0', () => {
    const h = new LagHistogram();
    h.record(-5);
    expect(h.summary()).toMatchObject({ count: 1, meanMs: 0, maxMs: 0, p99Ms: 0 });
  });

  it('answers quantiles within one bucket (5%) above the true value, never above the max', () => {
    const h = new LagHistogram();
    for (let v = 1; v <= 1000; v++) h.record(v);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.meanMs).toBe(500.5);
    expect(s.maxMs).toBe(1000);
    for (const [got, want] of [
      [s.p50Ms, 500],
      [s.p95Ms, 950],
      [s.p99Ms, 990],
    ]) {
      expect(got).toBeGreaterThanOrEqual(want);
      expect(got).toBeLessThanOrEqual(want * 1.05);
    }
    expect(h.quantile(1)).toBe(1000);
  });

  it('never reports a lag a hair above a bucket edge as below itself (floating-point edges)', () => {
    /** The next double above x: where the logarithm that picks the bucket rounds the wrong way. */
    const nextUp = (x: number) => {
      const bits = new BigInt64Array(Float64Array.of(x).buffer);
      bits[0] += 1n;
      return new Float64Array(bits.buffer)[0];
    };
    for (let k = 1; k < 400; k += 7) {
      const v = nextUp(0.1 * 1.05 ** k);
      const h = new LagHistogram();
      h.record(v);
      h.record(v * 10); // so the largest lag does not cap the answer
      expect(h.quantile(0.5), `lag ${v}`).toBeGreaterThanOrEqual(v);
    }
  });

  it('puts tiny lags in the first bucket and huge ones in the last', () => {
    const h = new LagHistogram();
    h.record(0.05);
    h.record(0.1);
    expect(h.counts[0]).toBe(2);
    h.record(1e12);
    expect(h.counts.at(-1)).toBe(1);
    expect(h.quantile(1)).toBe(1e12);
  });

  it('property: every quantile lies in [true quantile, 1.05 × true quantile] (or the max), and is monotone in q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.2, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (values, q) => {
          const h = new LagHistogram();
          for (const v of values) h.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          const truth = sorted[Math.ceil(q * sorted.length) - 1];
          const got = h.quantile(q);
          expect(got).toBeGreaterThanOrEqual(truth * (1 - 1e-9));
          expect(got).toBeLessThanOrEqual(Math.min(truth * 1.05 * (1 + 1e-9), sorted.at(-1)!));
          expect(h.quantile(Math.min(1, q + 0.1))).toBeGreaterThanOrEqual(got);
        },
      ),
      runs(100),
    );
  });
});
