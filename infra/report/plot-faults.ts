// A fault run over time for one topology: three panels on one time axis — the p99 of the
// requests started in each second, the spans per second the backend received, and the
// collector's sending-queue size — with each fault's window shaded across all three. Where
// the shading ends and the lines return to their level before it, the topology recovered.
import type { FaultTopologyResult } from '../analysis/results.ts';
import { ms } from './format.ts';
import { colorOf, esc, niceStep } from './plots.ts';

const W = 720;
const L = 64;
const R = 20;
const PANEL = 90;
const GAP = 26;
const T = 14;

/** [seconds, value]; null values break the line. */
type Points = Array<[number, number | null]>;

export function faultTimelinePlot(name: string, index: number, timeline: FaultTopologyResult['timeline']): string {
  const panels: Array<{ title: string; points: Points; unit: (v: number) => string; step?: boolean }> = [
    { title: 'p99 of requests started in each second (ms)', points: timeline.p99PerSecond, unit: ms },
    { title: 'spans/s the backend received', points: timeline.deliveredPerSecond, unit: (v) => v.toFixed(0) },
  ];
  if (timeline.queueSize.some(([, v]) => v !== null))
    panels.push({ title: "collector sending queue (its exporter's count)", points: timeline.queueSize, unit: (v) => v.toFixed(0), step: true });
  const H = T + panels.length * (PANEL + GAP) + 30;
  const maxT = Math.max(1, timeline.endS, ...panels.flatMap((p) => p.points.map(([t]) => t)));
  const x = (t: number) => L + (Math.max(0, t) / maxT) * (W - L - R);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(name)} during the fault run">`];
  const plotBottom = T + panels.length * (PANEL + GAP) - GAP;
  for (const w of timeline.windows) {
    if (!w.applied || w.startS === undefined || w.endS === undefined) continue;
    const width = Math.max(2, x(w.endS) - x(w.startS));
    parts.push(
      `<rect x="${x(w.startS).toFixed(1)}" y="${T}" width="${width.toFixed(1)}" height="${plotBottom - T}" fill="#d93025" opacity="0.1"><title>${esc(w.kind)}${w.target ? ` (${esc(w.target)})` : ''}: ${w.startS.toFixed(1)}–${w.endS.toFixed(1)} s</title></rect>`,
      `<text x="${x(w.startS) + 3}" y="${T + 10}" font-size="10" fill="#a52714">${esc(w.kind)}</text>`,
    );
  }
  const measuredEnd = x(timeline.measuredS);
  parts.push(
    `<line x1="${measuredEnd}" x2="${measuredEnd}" y1="${T}" y2="${plotBottom}" stroke="#999" stroke-dasharray="3 3"><title>load ends; the drain follows</title></line>`,
  );
  panels.forEach((panel, i) => {
    const top = T + i * (PANEL + GAP);
    const hi = Math.max(1, ...panel.points.map(([, v]) => v ?? 0));
    const step = niceStep(hi / 3);
    const maxY = Math.ceil(hi / step) * step;
    const y = (v: number) => top + PANEL - (v / maxY) * PANEL;
    parts.push(`<text x="${L}" y="${top - 3}" font-size="11">${esc(panel.title)}</text>`);
    for (let v = 0; v <= maxY + 1e-9; v += step)
      parts.push(
        `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="10">${panel.unit(v)}</text>`,
      );
    if (panel.points.some(([, v]) => v !== null)) {
      let path = '';
      let prev: number | null = null;
      for (const [t, v] of panel.points) {
        if (v === null) {
          prev = null;
          continue;
        }
        const hold = panel.step && prev !== null ? `L${x(t).toFixed(1)},${y(prev).toFixed(1)} ` : '';
        path += `${prev === null ? 'M' : `${hold}L`}${x(t).toFixed(1)},${y(v).toFixed(1)} `;
        prev = v;
      }
      parts.push(`<path d="${path}" fill="none" stroke="${colorOf(index)}" stroke-width="1.5"/>`);
    } else parts.push(`<text x="${(L + W - R) / 2}" y="${top + PANEL / 2}" text-anchor="middle" font-size="11" fill="#777">no readings</text>`);
  });
  const tickStep = niceStep(maxT / 8);
  for (let t = 0; t <= maxT + 1e-9; t += tickStep)
    parts.push(`<text x="${x(t)}" y="${plotBottom + 14}" text-anchor="middle" font-size="10">${t.toFixed(0)}</text>`);
  parts.push(
    `<text x="${(L + W - R) / 2}" y="${plotBottom + 28}" text-anchor="middle" font-size="11">seconds from the start of round ${timeline.round}'s measured phase (shaded: the fault; dashed: the load ends, the drain follows)</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}
