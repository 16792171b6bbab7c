/**
 * The live throughput graph's geometry: per-second counts as an SVG polyline path, scaled to
 * a shared maximum so both directions can be compared at a glance. Plain numbers in, a path
 * string out.
 */

/** A round ceiling for the y axis (1, 2, 5 × 10ⁿ), so the scale does not jitter every second. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

/**
 * `M0,24L2,20…` for `values` spread over `width` (the last value at the right edge) and
 * scaled so `max` touches the top. Half a pixel is kept at top and bottom so the stroke shows.
 */
export function sparklinePath(values: readonly number[], width: number, height: number, max: number): string {
  if (values.length === 0) return '';
  const top = 0.5;
  const bottom = height - 0.5;
  const span = bottom - top;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const scale = max > 0 ? span / max : 0;
  let path = '';
  values.forEach((value, i) => {
    const x = values.length > 1 ? i * step : width;
    const y = bottom - Math.min(max, Math.max(0, value)) * scale;
    path += `${i === 0 ? 'M' : 'L'}${round(x)},${round(y)}`;
  });
  return path;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
