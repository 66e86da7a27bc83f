// The Prometheus text parser the lab scrapes /metrics with: the format's corners, errors that
// name the line, and a round trip for any samples written as the format says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrometheusTextError, parsePrometheusText, sumOf, type Sample } from '../../infra/local/prometheus-text.ts';
import { runs } from '../support/property-runs.ts';

describe('parsePrometheusText', () => {
  it('reads samples with and without labels, skipping HELP, TYPE, comments and blank lines', () => {
    const text = [
      '# HELP tracelab_requests_total Chat requests handled.',
      '# TYPE tracelab_requests_total counter',
      'tracelab_requests_total{topology="inprocess",outcome="ok"} 250',
      '',
      '  # a comment, indented',
      'process_cpu_seconds_total 1.25e+00',
      'x_bucket{le="+Inf"} 3 1700000000000',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      { name: 'tracelab_requests_total', labels: { topology: 'inprocess', outcome: 'ok' }, value: 250 },
      { name: 'process_cpu_seconds_total', labels: {}, value: 1.25 },
      { name: 'x_bucket', labels: { le: '+Inf' }, value: 3, timestampMs: 1700000000000 },
    ]);
  });

  it('reads NaN, +Inf, -Inf, escaped label values, spaces, tabs, a trailing comma and colons in names', () => {
    const [a, b, c] = parsePrometheusText('a:b_c { path = "C:\\\\dir" , quote="say \\"hi\\"", nl="x\\ny", } NaN\nb\t+Inf\nc{} -Inf\n');
    expect(a).toEqual({ name: 'a:b_c', labels: { path: 'C:\\dir', quote: 'say "hi"', nl: 'x\ny' }, value: Number.NaN });
    expect(b.value).toBe(Infinity);
    expect(c).toEqual({ name: 'c', labels: {}, value: -Infinity });
  });

  it('reads what a collector writes (CRLF-free, labels with dots in values)', () => {
    const text =
      'otelcol_exporter_sent_spans_total{exporter="otlp_http/langfuse",otel_scope_name="go.opentelemetry.io/collector/exporter/exporterhelper"} 4224\n';
    expect(sumOf(parsePrometheusText(text), 'otelcol_exporter_sent_spans')).toBe(4224);
  });

  it.each([
    ['{a="b"} 1', /line 1: expected a metric name at column 1/],
    ['m{1a="b"} 1', /line 1: expected a label name at column 3/],
    ['m{a b} 1', /line 1: expected "=" after label a/],
    ['m{a=b} 1', /line 1: expected a quoted value for label a/],
    ['m{a="b} 1', /line 1: unterminated value of label a/],
    ['m{a="\\t"} 1', /line 1: unknown escape "\\t" in label a/],
    ['m{a="b" c="d"} 1', /line 1: expected "," or "}" after a label/],
    ['ok 1\nm', /line 2: expected a value/],
    ['m{a="b"}', /line 1: expected a value/],
    ['m one', /line 1: value "one" is not a number/],
    ['m 1 2 3', /line 1: expected a value and at most a timestamp/],
    ['m 1 soon', /line 1: timestamp "soon" is not a number/],
    ['m 1 1.5', /line 1: timestamp "1.5" is not an integer/],
  ])('%j is an error naming the line: %s', (text, message) => {
    expect(() => parsePrometheusText(text)).toThrow(PrometheusTextError);
    expect(() => parsePrometheusText(text)).toThrow(message);
  });

  it('property: samples written in the format parse back to themselves', () => {
    const name = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/);
    const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
    const sample = fc.record({
      name,
      labels: fc.dictionary(labelName, fc.string({ maxLength: 12 }), { maxKeys: 4 }),
      value: fc.oneof(fc.double(), fc.integer()),
    });
    const escaped = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
    const write = (s: Sample) =>
      `${s.name}${
        Object.keys(s.labels).length
          ? `{${Object.entries(s.labels)
              .map(([k, v]) => `${k}="${escaped(v)}"`)
              .join(',')}}`
          : ''
      } ${Number.isNaN(s.value) ? 'NaN' : s.value === Infinity ? '+Inf' : s.value === -Infinity ? '-Inf' : Object.is(s.value, -0) ? '-0' : String(s.value)}`;
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 10 }), (samples) => {
        const parsed = parsePrometheusText(samples.map(write).join('\n'));
        expect(parsed).toEqual(samples);
      }),
      runs(100),
    );
  });
});

describe('sumOf', () => {
  const samples = parsePrometheusText(
    [
      'r_total{outcome="ok",t="a"} 3',
      'r_total{outcome="error",t="a"} 1',
      'r{outcome="ok",t="b"} 5',
      'q{quantile="0.99"} 0.2',
      'q{quantile="1"} 0.5',
      'other 100',
    ].join('\n'),
  );
  it('sums the metric with or without _total, over every label set', () => {
    expect(sumOf(samples, 'r')).toBe(9);
    expect(sumOf(samples, 'r_total')).toBe(4);
  });
  it('keeps only samples whose labels include the filter', () => {
    expect(sumOf(samples, 'r', { outcome: 'ok' })).toBe(8);
    expect(sumOf(samples, 'q', { quantile: '1' })).toBe(0.5);
    expect(sumOf(samples, 'q', { quantile: '0.999' })).toBe(0);
  });
  it('is 0 for a metric that is not there', () => {
    expect(sumOf(samples, 'missing')).toBe(0);
  });
});
