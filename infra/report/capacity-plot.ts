// Latency against offered load: each topology's steps as p99 (solid) and p50 (dashed) over the
// arrival rate, latency on a log axis (below the knee it is flat, above it explodes), the SLO
// as a dashed red line, steps that broke it as hollow circles.
import type { CapacityResults } from '../analysis/capacity-results.ts';
import { ms } from './format.ts';
import { colorOf, esc, niceStep } from './plots.ts';

const W = 720;
const H = 340;
const L = 64;
const R = 170;
const T = 20;
const B = 44;

export function loadPlot(r: CapacityResults, sloMs: number): string {
  const steps = r.topologies.flatMap((t) => t.steps);
  if (steps.length === 0) return '<p class="note">No step was measured.</p>';
  const maxX = Math.max(...steps.map((s) => s.rate)) * 1.05;
  const lat = steps.flatMap((s) => [s.p50Ms, s.p99Ms]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.log10(Math.max(0.1, Math.min(...lat, sloMs) * 0.8));
  const hi = Math.log10(Math.max(...lat, sloMs) * 1.25);
  const x = (v: number) => L + (v / maxX) * (W - L - R);
  const y = (v: number) => T + ((hi - Math.log10(Math.max(v, 10 ** lo))) / (hi - lo)) * (H - T - B);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="latency against offered load">`];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log10(v) < lo || Math.log10(v) > hi) continue;
      parts.push(
        `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${ms(v)}</text>`,
      );
    }
  }
  const stepX = niceStep(maxX / 6);
  for (let v = 0; v <= maxX; v += stepX)
    parts.push(
      `<line x1="${x(v)}" x2="${x(v)}" y1="${T}" y2="${H - B}" stroke="#f3f3f3"/><text x="${x(v)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${Math.round(v)}</text>`,
    );
  parts.push(
    `<line x1="${L}" x2="${W - R}" y1="${y(sloMs)}" y2="${y(sloMs)}" stroke="#d93025" stroke-dasharray="6 4"><title>SLO p99 ${ms(sloMs)} ms</title></line>`,
    `<text x="${W - R - 4}" y="${y(sloMs) - 4}" text-anchor="end" font-size="11" fill="#d93025">SLO p99</text>`,
    `<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">offered load (req/s)</text><text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle" font-size="12">latency (ms, log scale)</text>`,
  );
  r.topologies.forEach((t, i) => {
    const color = colorOf(i);
    const line = (f: (s: (typeof t.steps)[number]) => number, dashed: boolean) =>
      `<polyline fill="none" stroke="${color}" stroke-width="${dashed ? 1.2 : 2}"${dashed ? ' stroke-dasharray="4 3"' : ''} points="${t.steps
        .filter((s) => Number.isFinite(f(s)))
        .map((s) => `${x(s.rate).toFixed(1)},${y(f(s)).toFixed(1)}`)
        .join(' ')}"/>`;
    parts.push(
      line((s) => s.p99Ms, false),
      line((s) => s.p50Ms, true),
    );
    for (const s of t.steps.filter((q) => Number.isFinite(q.p99Ms)))
      parts.push(
        `<circle cx="${x(s.rate)}" cy="${y(s.p99Ms)}" r="3.5" fill="${s.ok ? color : '#fff'}" stroke="${color}" stroke-width="1.5"><title>${esc(t.name)} ${s.rate} req/s: p99 ${ms(s.p99Ms)} ms${s.ok ? '' : ` — broke: ${s.breaches.join(', ')}`}</title></circle>`,
      );
    parts.push(
      `<rect x="${W - R + 12}" y="${T + i * 18}" width="12" height="12" fill="${color}"/><text x="${W - R + 30}" y="${T + i * 18 + 10}" font-size="12">${esc(t.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
