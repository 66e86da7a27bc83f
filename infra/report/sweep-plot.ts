// Line plots of a sweep (inline SVG): one line per topology against the varied value, with
// its interval as a translucent band where the run gives one. Values sit equally spaced in
// the order given (the axis names them), as a sweep's values are few and often geometric.
import { colorOf, esc, niceStep } from './plots.ts';
import { ms } from './format.ts';

export interface PlotLine {
  readonly label: string;
  /** One per x position; null where the line has no point there. */
  readonly points: ReadonlyArray<{ readonly y: number; readonly low?: number; readonly high?: number } | null>;
  readonly dashed?: boolean;
}

export interface LinePlot {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xTicks: readonly string[];
  readonly lines: readonly PlotLine[];
  /** Draw y = 0 (overhead plots). */
  readonly zero?: boolean;
}

const W = 720;
const H = 300;
const L = 64;
const R = 190;
const T = 20;
const B = 44;

export function linePlot(p: LinePlot): string {
  const ys = p.lines.flatMap((l) => l.points.flatMap((q) => (q ? [q.y, q.low ?? q.y, q.high ?? q.y] : []))).filter(Number.isFinite);
  if (ys.length === 0) return `<p class="note">${esc(p.title)}: nothing measured.</p>`;
  let lo = Math.min(...ys, ...(p.zero ? [0] : []));
  let hi = Math.max(...ys, ...(p.zero ? [0] : []));
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const step = niceStep((hi - lo) / 5);
  const minY = Math.floor(lo / step) * step;
  const maxY = Math.ceil(hi / step) * step;
  const n = p.xTicks.length;
  const x = (i: number) => L + (n === 1 ? (W - L - R) / 2 : (i / (n - 1)) * (W - L - R));
  const y = (v: number) => T + ((maxY - v) / (maxY - minY)) * (H - T - B);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(p.title)}">`];
  for (let v = minY; v <= maxY + step / 2; v += step) {
    const strong = p.zero && Math.abs(v) < step / 1e6;
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="${strong ? '#999' : '#eee'}"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${ms(v)}</text>`,
    );
  }
  p.xTicks.forEach((label, i) => {
    parts.push(
      `<line x1="${x(i)}" x2="${x(i)}" y1="${T}" y2="${H - B}" stroke="#f3f3f3"/><text x="${x(i)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${esc(label)}</text>`,
    );
  });
  parts.push(
    `<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">${esc(p.xLabel)}</text><text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle" font-size="12">${esc(p.yLabel)}</text>`,
  );
  p.lines.forEach((line, li) => {
    const color = colorOf(li + 1);
    const present = line.points.flatMap((q, i) => (q && Number.isFinite(q.y) ? [{ i, ...q }] : []));
    const banded = present.filter((q) => q.low !== undefined && q.high !== undefined);
    if (banded.length >= 2) {
      const upper = banded.map((q) => `${x(q.i).toFixed(1)},${y(q.high!).toFixed(1)}`);
      const lower = [...banded].reverse().map((q) => `${x(q.i).toFixed(1)},${y(q.low!).toFixed(1)}`);
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" opacity="0.15"/>`);
    }
    for (const q of banded)
      parts.push(`<line x1="${x(q.i)}" x2="${x(q.i)}" y1="${y(q.low!)}" y2="${y(q.high!)}" stroke="${color}" stroke-width="1" opacity="0.6"/>`);
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2"${line.dashed ? ' stroke-dasharray="5 4"' : ''} points="${present.map((q) => `${x(q.i).toFixed(1)},${y(q.y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const q of present)
      parts.push(
        `<circle cx="${x(q.i)}" cy="${y(q.y)}" r="3" fill="${color}"><title>${esc(line.label)} at ${esc(p.xTicks[q.i])}: ${ms(q.y)}${q.low !== undefined && q.high !== undefined ? ` [${ms(q.low)}, ${ms(q.high)}]` : ''}</title></circle>`,
      );
    parts.push(
      `<rect x="${W - R + 12}" y="${T + li * 18}" width="12" height="12" fill="${color}"/><text x="${W - R + 30}" y="${T + li * 18 + 10}" font-size="12">${esc(line.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
