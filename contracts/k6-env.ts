// The environment a k6 scenario reads (k6/lib/config.ts) and every runner of it writes (the
// local lab's k6 runner, the loadtest chart's Jobs). k6 loads this file too, so it imports
// nothing and uses only type syntax that k6 strips.

export const K6_ENV = {
  targetUrl: 'TARGET_URL',
  topology: 'TOPOLOGY',
  round: 'ROUND',
  rate: 'RATE',
  duration: 'DURATION',
  warmup: 'WARMUP',
  preAllocatedVUs: 'PRE_ALLOCATED_VUS',
  maxVUs: 'MAX_VUS',
  vus: 'VUS',
  thinkTime: 'THINK_TIME',
} as const;

/** The OTLP scenario (k6/scenarios/otlp.ts): the pre-encoded batch it posts to a collector. */
export const K6_OTLP_ENV = { bodyFile: 'OTLP_BODY_FILE' } as const;

export interface K6RunSettings {
  /** Base URL of the target app, e.g. http://127.0.0.1:8080 */
  readonly targetUrl: string;
  readonly topology: string;
  /** Round number, as a tag ("0" where rounds do not apply). */
  readonly round: string;
  /** Requests per second (open model). */
  readonly rate: number;
  /** Measured phase, e.g. "20s". */
  readonly duration: string;
  /** Warm-up phase before it, tagged phase=warmup and excluded from results. */
  readonly warmup: string;
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
  /** Closed model: concurrent users (the scenario `closed`). */
  readonly vus: number;
  /** Closed model: each user's pause after an answer, e.g. "0ms", "200ms". */
  readonly thinkTime: string;
}

export const K6_DEFAULTS: K6RunSettings = {
  targetUrl: '',
  topology: 'unknown',
  round: '0',
  rate: 50,
  duration: '30s',
  warmup: '5s',
  preAllocatedVUs: 50,
  maxVUs: 200,
  vus: 100,
  thinkTime: '0ms',
};

/** The settings as environment variables, for a process or a container. */
export function k6Env(settings: K6RunSettings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of Object.keys(K6_ENV) as Array<keyof K6RunSettings>) env[K6_ENV[key]] = String(settings[key]);
  return env;
}

/** Reads the settings back from an environment (k6's __ENV); a missing target URL is an error. */
export function readK6Env(env: Record<string, string | undefined>): K6RunSettings {
  const text = (key: keyof K6RunSettings): string => {
    const v = env[K6_ENV[key]];
    return v === undefined || v === '' ? String(K6_DEFAULTS[key]) : v;
  };
  const num = (key: 'rate' | 'preAllocatedVUs' | 'maxVUs' | 'vus'): number => {
    const v = Number(text(key));
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${K6_ENV[key]} must be a positive number, got ${JSON.stringify(env[K6_ENV[key]])}`);
    return v;
  };
  const targetUrl = text('targetUrl');
  if (!targetUrl) throw new Error(`${K6_ENV.targetUrl} is not set`);
  return {
    targetUrl,
    topology: text('topology'),
    round: text('round'),
    rate: num('rate'),
    duration: text('duration'),
    warmup: text('warmup'),
    preAllocatedVUs: num('preAllocatedVUs'),
    maxVUs: num('maxVUs'),
    vus: num('vus'),
    thinkTime: text('thinkTime'),
  };
}
