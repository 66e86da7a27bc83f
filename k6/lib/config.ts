// Run settings from env, shared by every scenario. Runs inside k6 (not Node): no node
// modules, local imports by full file name.

export interface RunConfig {
  /** Base URL of the target app, e.g. http://127.0.0.1:8080 */
  readonly targetUrl: string;
  readonly topology: string;
  readonly round: string;
  /** Requests per second (open model). */
  readonly rate: number;
  /** Measured phase. */
  readonly duration: string;
  /** Warm-up phase before it, tagged phase=warmup and excluded from results. */
  readonly warmup: string;
  readonly preAllocatedVUs: number;
  readonly maxVUs: number;
}

function env(name: string, fallback?: string): string {
  const v = __ENV[name] ?? fallback;
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
}

export function runConfig(): RunConfig {
  return {
    targetUrl: env('TARGET_URL'),
    topology: env('TOPOLOGY', 'unknown'),
    round: env('ROUND', '0'),
    rate: Number(env('RATE', '50')),
    duration: env('DURATION', '30s'),
    warmup: env('WARMUP', '5s'),
    preAllocatedVUs: Number(env('PRE_ALLOCATED_VUS', '50')),
    maxVUs: Number(env('MAX_VUS', '200')),
  };
}
