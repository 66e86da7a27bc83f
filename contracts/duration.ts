// Durations as the spec, k6 and the collector write them ("250ms", "5s", "2m", "1h").
// Apart from zod on purpose: the target app reads it at run time and loads no validator.

export function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(value);
  if (!match) throw new Error(`not a duration: ${JSON.stringify(value)} (use "250ms", "5s", "2m" or "1h")`);
  const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}
