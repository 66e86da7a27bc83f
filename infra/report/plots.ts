// Inline SVG plots for the HTML report: no scripts, no external assets.
import type { Results, TopologyResult } from '../analysis/results.ts';
import { OVERHEAD_QUANTILES } from '../analysis/results.ts';
import { ms } from './format.ts';

const COLORS = ['#555555', '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
export const colorOf = (i: number) => COLORS[i % COLORS.length];
export const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Latency by percentile on a "nines" x axis (50, 90, 99, 99.9, 99.99): the tail gets the room. */
export function percentilePlot(topologies: readonly TopologyResult[]): string {
  const W = 720,
    H = 360,
    L = 60,
    R = 150,
    T = 20,
    B = 40;
  const nines = (q: number) => -Math.log10(1 - Math.min(q, 0.9999));
  const maxX = 4;
  const all = topologies.flatMap((t) => t.curve.map(([, v]) => v)).filter(Number.isFinite);
  const maxY = Math.max(1, ...all) * 1.03;
  // The y axis starts just below the fastest request, so tail differences get the height.
  const stepY = niceStep((maxY - Math.min(...all) * 0.95) / 5);
  const minY = Math.max(0, Math.floor((Math.min(...all) * 0.95) / stepY) * stepY);
  const x = (q: number) => L + (nines(q) / maxX) * (W - L - R);
  const y = (v: number) => H - B - ((v - minY) / (maxY - minY)) * (H - T - B);
  const ticksX = [
    [0, '0'],
    [0.5, '50'],
    [0.9, '90'],
    [0.99, '99'],
    [0.999, '99.9'],
    [0.9999, '99.99'],
  ] as const;
  const parts: string[] = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="latency by percentile">`];
  for (let v = minY; v <= maxY; v += stepY)
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${ms(v)}</text>`,
    );
  for (const [q, label] of ticksX)
    parts.push(
      `<line x1="${x(q)}" x2="${x(q)}" y1="${T}" y2="${H - B}" stroke="#eee"/><text x="${x(q)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${label}</text>`,
    );
  parts.push(
    `<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">percentile</text><text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle" font-size="12">latency (ms)</text>`,
  );
  topologies.forEach((t, i) => {
    const points = t.curve
      .filter(([, v]) => Number.isFinite(v))
      .map(([q, v]) => `${x(q).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    parts.push(`<polyline fill="none" stroke="${colorOf(i)}" stroke-width="2" points="${points}"/>`);
    parts.push(
      `<rect x="${W - R + 12}" y="${T + i * 18}" width="12" height="12" fill="${colorOf(i)}"/><text x="${W - R + 30}" y="${T + i * 18 + 10}" font-size="12">${esc(t.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Overhead per quantile per traced topology, with interval whiskers; faint bars are not resolved. */
export function overheadPlot(results: Results): string {
  const traced = results.topologies.filter((t) => t.overhead);
  if (traced.length === 0) return '<p>No traced topology in this run.</p>';
  const W = 720,
    H = 320,
    L = 60,
    R = 150,
    T = 20,
    B = 40;
  const values = traced.flatMap((t) => OVERHEAD_QUANTILES.flatMap((k) => [t.overhead![k].ciLowMs ?? 0, t.overhead![k].ciHighMs ?? 0, t.overhead![k].ms]));
  const lo = Math.min(0, ...values),
    hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const y = (v: number) => T + ((hi - v) / span) * (H - T - B);
  const group = (W - L - R) / OVERHEAD_QUANTILES.length;
  const bar = Math.min(28, (group * 0.8) / traced.length);
  const parts: string[] = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="overhead vs baseline">`];
  const stepY = niceStep(span / 5);
  for (let v = Math.ceil(lo / stepY) * stepY; v <= hi; v += stepY)
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="${Math.abs(v) < 1e-9 ? '#999' : '#eee'}"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${ms(v)}</text>`,
    );
  OVERHEAD_QUANTILES.forEach((k, g) => {
    const x0 = L + g * group + (group - bar * traced.length) / 2;
    parts.push(`<text x="${L + g * group + group / 2}" y="${H - B + 16}" text-anchor="middle" font-size="11">${k === 'p999' ? 'p99.9' : k}</text>`);
    traced.forEach((t, i) => {
      const o = t.overhead![k];
      const color = colorOf(results.topologies.indexOf(t));
      const xb = x0 + i * bar;
      const interval = o.ciLowMs !== undefined && o.ciHighMs !== undefined ? `[${ms(o.ciLowMs)}, ${ms(o.ciHighMs)}]` : '(no interval)';
      parts.push(
        `<rect x="${xb + 2}" y="${Math.min(y(o.ms), y(0))}" width="${bar - 4}" height="${Math.abs(y(o.ms) - y(0))}" fill="${color}" opacity="${o.resolution === 'not-resolved' || o.resolution === 'no-interval' ? 0.35 : 0.85}"><title>${esc(t.name)} ${k}: ${ms(o.ms)} ms ${interval}</title></rect>`,
      );
      if (o.ciLowMs === undefined || o.ciHighMs === undefined) return;
      const cx = xb + bar / 2;
      const [lowY, highY] = [y(o.ciLowMs), y(o.ciHighMs)];
      parts.push(
        `<line x1="${cx}" x2="${cx}" y1="${lowY}" y2="${highY}" stroke="#000"/><line x1="${cx - 4}" x2="${cx + 4}" y1="${lowY}" y2="${lowY}" stroke="#000"/><line x1="${cx - 4}" x2="${cx + 4}" y1="${highY}" y2="${highY}" stroke="#000"/>`,
      );
    });
  });
  traced.forEach((t, i) => {
    parts.push(
      `<rect x="${W - R + 12}" y="${T + i * 18}" width="12" height="12" fill="${colorOf(results.topologies.indexOf(t))}"/><text x="${W - R + 30}" y="${T + i * 18 + 10}" font-size="12">${esc(t.name)}</text>`,
    );
  });
  parts.push(
    `<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle" font-size="12">overhead vs ${esc(results.baseline)} (ms)</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}
