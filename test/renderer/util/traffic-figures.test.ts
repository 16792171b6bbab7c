import { describe, expect, it } from 'vitest';
import type { SessionStats } from '../../../src-main/shared/stats';
import { completeSeconds, rttBars, trafficFigures } from '../../../src-renderer/src/util/traffic-figures';

function stats(): SessionStats {
  return {
    at: 5000,
    totals: { in: { messages: 1200, bytes: 96_000 }, out: { messages: 30, bytes: 900 } },
    window: {
      startAt: 0,
      seconds: 4,
      // The last entry is the second still running: left out of series and peaks.
      in: { messages: [100, 700, 400, 9999], bytes: [8000, 56_000, 32_000, 1] },
      out: { messages: [10, 10, 10, 0], bytes: [300, 300, 300, 0] },
    },
    rate: { in: { messagesPerSecond: 400, bytesPerSecond: 32_000 }, out: { messagesPerSecond: 10, bytesPerSecond: 300 } },
    rtt: { lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 },
  };
}

describe('traffic figures', () => {
  it('takes totals, the last complete second and the peak of the complete seconds, per direction', () => {
    const figures = trafficFigures(stats());
    expect(figures.seconds).toBe(3);
    expect(figures.in).toEqual({
      messages: 1200,
      bytes: 96_000,
      messagesPerSecond: 400,
      bytesPerSecond: 32_000,
      peakMessagesPerSecond: 700,
      peakBytesPerSecond: 56_000,
      messagesSeries: [100, 700, 400],
      bytesSeries: [8000, 56_000, 32_000],
    });
    expect(figures.out.peakMessagesPerSecond).toBe(10);
  });

  it('keeps a lone second (nothing complete yet) and an empty window as they are', () => {
    expect(completeSeconds([5])).toEqual([5]);
    expect(completeSeconds([])).toEqual([]);
  });

  it('lays out round-trip bars oldest first, scaled to the maximum, never invisible', () => {
    const bars = rttBars([{ ms: 10 }, { ms: 0 }, { ms: 40 }, { ms: 80 }], 100, 40, 40);
    expect(bars).toHaveLength(4);
    expect(bars.map((b) => b.x)).toEqual([8.5, 33.5, 58.5, 83.5]); // 8 px bars centred in 25 px slots
    expect(bars.map((b) => b.height)).toEqual([10, 1, 40, 40]); // 0 ms still shows; 80 ms is capped at the scale
    expect(bars.every((b) => b.y + b.height === 40)).toBe(true);
    expect(rttBars([], 100, 40, 40)).toEqual([]);
    // With room for ten, three samples sit in the three rightmost slots.
    expect(rttBars([{ ms: 1 }, { ms: 2 }, { ms: 3 }], 100, 40, 4, 10).map((b) => b.x)).toEqual([71.5, 81.5, 91.5]); // 7 px bars in 10 px slots
  });
});
