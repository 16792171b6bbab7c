/**
 * The figures the statistics panel shows, from one `stats` snapshot: per direction the totals,
 * the rate over the last complete second and the peak over the window (an imported log's: over
 * the whole log), and the window's
 * complete seconds for the charts. Plain data in and out, so it is tested without a DOM.
 */
import type { SessionStats } from '../../../src-main/shared/stats';

export interface DirectionFigures {
  messages: number;
  bytes: number;
  messagesPerSecond: number;
  bytesPerSecond: number;
  peakMessagesPerSecond: number;
  peakBytesPerSecond: number;
  /** Per complete second, oldest first. */
  messagesSeries: number[];
  bytesSeries: number[];
}

export interface TrafficFigures {
  in: DirectionFigures;
  out: DirectionFigures;
  /** How many complete seconds the series cover. */
  seconds: number;
}

/** Complete seconds only: the window's last entry is the second still running. */
export function completeSeconds(values: readonly number[]): number[] {
  return values.length > 1 ? values.slice(0, -1) : [...values];
}

function direction(stats: SessionStats, dir: 'in' | 'out'): DirectionFigures {
  const messagesSeries = completeSeconds(stats.window[dir].messages);
  const bytesSeries = completeSeconds(stats.window[dir].bytes);
  return {
    messages: stats.totals[dir].messages,
    bytes: stats.totals[dir].bytes,
    messagesPerSecond: stats.rate[dir].messagesPerSecond,
    bytesPerSecond: stats.rate[dir].bytesPerSecond,
    // An imported log's peak is over the whole log; a live session's over the window.
    peakMessagesPerSecond: stats.logPeak?.[dir].messagesPerSecond ?? Math.max(0, ...messagesSeries),
    peakBytesPerSecond: stats.logPeak?.[dir].bytesPerSecond ?? Math.max(0, ...bytesSeries),
    messagesSeries,
    bytesSeries,
  };
}

export function trafficFigures(stats: SessionStats): TrafficFigures {
  const incoming = direction(stats, 'in');
  return { in: incoming, out: direction(stats, 'out'), seconds: incoming.messagesSeries.length };
}

/**
 * Bars for round-trip samples in a `width` × `height` box, one per slot of `slots` (at least
 * one per sample), the newest at the right edge so bars keep their place as samples come;
 * scaled so `max` touches the top (a sample of 0 ms still gets a 1 px sliver).
 */
export function rttBars(
  samples: readonly { ms: number }[],
  width: number,
  height: number,
  max: number,
  slots = samples.length,
): { x: number; y: number; width: number; height: number }[] {
  if (samples.length === 0 || max <= 0) return [];
  const count = Math.max(slots, samples.length);
  const slot = width / count;
  const barWidth = Math.max(1, Math.min(8, slot * 0.7));
  const first = count - samples.length;
  return samples.map((sample, i) => {
    const barHeight = Math.max(1, (Math.min(sample.ms, max) / max) * height);
    return { x: (first + i) * slot + (slot - barWidth) / 2, y: height - barHeight, width: barWidth, height: barHeight };
  });
}
