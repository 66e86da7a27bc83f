// How figures are written in every report format, so terminal, markdown and HTML agree.
import type { Overhead } from '../analysis/results.ts';

export const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
export const signedMs = (v: number) => `${v >= 0 ? '+' : ''}${ms(v)}`;
export const percent = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
export const ratio = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.001 ? 3 : 1)}%`;

/** "+4.2 ms [+2.1, +6.3]" */
export function overheadText(o: Overhead | undefined): string {
  if (!o) return '—';
  return `${signedMs(o.ms)} ms [${signedMs(o.ciLowMs)}, ${signedMs(o.ciHighMs)}]`;
}

/** Whether the interval excludes zero: a difference the run can tell from noise. */
export const significant = (o: Overhead | undefined) => Boolean(o && (o.ciLowMs > 0 || o.ciHighMs < 0));
