// How figures are written in every report format, so terminal, markdown and HTML agree.

export const ms = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '—' : v === 0 ? '0' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
export const signedMs = (v: number) => `${v >= 0 ? '+' : ''}${ms(v)}`;
export const percent = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
export const ratio = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.001 ? 3 : 1)}%`;
export const share = (v: number) => `${Math.round(v * 100)}%`;
