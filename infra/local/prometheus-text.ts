// A parser for the Prometheus text exposition format (version 0.0.4): what the target apps,
// ingest-sink and the collectors serve on /metrics. Written here because the one npm package
// for it (parse-prometheus-text-format) has had no release since its 2018 code and no types;
// the format is small and this covers all of it that a scrape can meet: comments, HELP/TYPE,
// labels with escaped values, NaN/±Inf values and optional timestamps.

export interface Sample {
  /** As written, suffixes included (e.g. http_requests_total, x_bucket). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs?: number;
}

export class PrometheusTextError extends Error {}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;

function parseValue(text: string, what: string, line: number): number {
  const special: Record<string, number> = { NaN: Number.NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };
  if (text in special) return special[text];
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new PrometheusTextError(`line ${line}: ${what} "${text}" is not a number`);
  return value;
}

/** Parses one sample line; `line` is its 1-based number, for errors. */
function parseSample(text: string, line: number): Sample {
  let at = 0;
  const fail = (what: string): never => {
    throw new PrometheusTextError(`line ${line}: ${what} at column ${at + 1}: ${text}`);
  };
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (!m) return undefined;
    at += m[0].length;
    return m[0];
  };
  const skipSpace = () => {
    while (text[at] === ' ' || text[at] === '\t') at++;
  };

  const name = match(NAME) ?? fail('expected a metric name');
  const labels: Record<string, string> = {};
  skipSpace();
  if (text[at] === '{') {
    at++;
    for (;;) {
      skipSpace();
      if (text[at] === '}') break;
      const label = match(LABEL_NAME) ?? fail('expected a label name');
      skipSpace();
      if (text[at++] !== '=') fail(`expected "=" after label ${label}`);
      skipSpace();
      if (text[at++] !== '"') fail(`expected a quoted value for label ${label}`);
      let value = '';
      for (;;) {
        const c = text[at++];
        if (c === undefined) fail(`unterminated value of label ${label}`);
        if (c === '"') break;
        if (c === '\\') {
          const e = text[at++];
          value += e === 'n' ? '\n' : e === '\\' || e === '"' ? e : fail(`unknown escape "\\${e ?? ''}" in label ${label}`);
        } else value += c;
      }
      labels[label] = value;
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] !== '}') fail('expected "," or "}" after a label');
    }
    at++;
  }
  const rest = text
    .slice(at)
    .trim()
    .split(/[ \t]+/);
  if (rest[0] === '' || rest.length > 2) fail(rest[0] === '' ? 'expected a value' : 'expected a value and at most a timestamp');
  const value = parseValue(rest[0], 'value', line);
  if (rest.length === 1) return { name, labels, value };
  const timestampMs = parseValue(rest[1], 'timestamp', line);
  if (!Number.isInteger(timestampMs)) throw new PrometheusTextError(`line ${line}: timestamp "${rest[1]}" is not an integer`);
  return { name, labels, value, timestampMs };
}

/** Every sample in the text, in order. Comment, HELP and TYPE lines carry no samples. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    samples.push(parseSample(line, i + 1));
  });
  return samples;
}

/**
 * The sum of every sample of the metric `name` — written with or without a counter's _total
 * suffix — whose labels include all of `labels`. 0 when there is none.
 */
export function sumOf(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const s of samples) {
    if (s.name !== name && s.name !== `${name}_total`) continue;
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) sum += s.value;
  }
  return sum;
}
