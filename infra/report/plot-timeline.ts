// The tail over time for one typical round of a topology: every request's latency where it
// started, with the moments exports held the event loop, major GCs and other loop stalls
// marked underneath — a slow request lined up with a mark is the tail explained.
import type { Results, TimelineSeries } from '../analysis/results.ts';
import { colorOf, esc, niceStep } from './plots.ts';
import { ms } from './format.ts';

const W = 720;
const H = 240;
const L = 60;
const R = 20;
const T = 16;
const B = 64;
/** Height of the band of marks under the plot. */
const MARKS = 30;

export function timelinePlot(results: Results, name: string, series: TimelineSeries): string {
  const index = results.topologies.findIndex((t) => t.name === name);
  const threshold = results.topologies.find((t) => t.name === name)?.attribution?.thresholdMs;
  const maxT = Math.max(1, ...series.requests.map(([t]) => t));
  const latencies = series.requests.map(([, v]) => v);
  const lo = Math.min(...latencies);
  const hi = Math.max(...latencies, threshold ?? 0);
  const stepY = niceStep((hi - lo) / 4 || 1);
  const minY = Math.floor(lo / stepY) * stepY;
  const maxY = Math.ceil(hi / stepY) * stepY || 1;
  const x = (t: number) => L + (t / maxT) * (W - L - R);
  const y = (v: number) => T + ((maxY - v) / (maxY - minY || 1)) * (H - T - B - MARKS);
  const markY = H - B - MARKS + 8;
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(name)} latency over time">`];
  for (let v = minY; v <= maxY + 1e-9; v += stepY) {
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="10">${ms(v)}</text>`,
    );
  }
  if (threshold !== undefined)
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(threshold)}" y2="${y(threshold)}" stroke="#d93025" stroke-dasharray="4 3"><title>baseline p99 ${ms(threshold)} ms</title></line>`,
    );
  for (const [t, v] of series.requests)
    parts.push(
      `<circle cx="${x(t).toFixed(1)}" cy="${y(v).toFixed(1)}" r="1.6" fill="${colorOf(index)}"${threshold !== undefined && v > threshold ? '' : ' opacity="0.45"'}/>`,
    );
  const mark = (list: Array<[number, number]>, dy: number, color: string, what: string) => {
    for (const [t, d] of list)
      parts.push(
        `<rect x="${x(t).toFixed(1)}" y="${markY + dy}" width="${Math.max(1.5, (d / 1000 / maxT) * (W - L - R)).toFixed(1)}" height="6" fill="${color}"><title>${what} ${ms(d)} ms at ${t.toFixed(2)} s</title></rect>`,
      );
  };
  mark(series.exports, 0, '#1f77b4', 'export held the loop');
  mark(series.majorGc, 8, '#9467bd', 'major GC');
  mark(series.stalls, 16, '#ff7f0e', 'loop stall');
  const legend = [
    ['#1f77b4', 'export on the event loop'],
    ['#9467bd', 'major GC'],
    ['#ff7f0e', 'event-loop stall'],
    ['#d93025', 'baseline p99'],
  ];
  legend.forEach(([color, label], i) => {
    parts.push(
      `<rect x="${L + i * 165}" y="${H - 22}" width="10" height="10" fill="${color}"/><text x="${L + i * 165 + 14}" y="${H - 13}" font-size="11">${label}</text>`,
    );
  });
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 30}" text-anchor="middle" font-size="11">seconds into round ${series.round}'s measured phase</text>`);
  parts.push(`<text x="12" y="${(T + H - B) / 2}" transform="rotate(-90 12 ${(T + H - B) / 2})" text-anchor="middle" font-size="11">latency (ms)</text>`);
  parts.push('</svg>');
  return parts.join('');
}
