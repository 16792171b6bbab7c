/** An imported log's peak: each direction's busiest whole second over the entire log, not only its last minute. */
import { describe, expect, it } from 'vitest';
import { BusiestSecond } from '../../../src-main/core/session/busiest-second';
import { importLog } from '../../../src-main/core/export/import-log';
import { ImportedSession } from '../../../src-main/core/session/imported-session';

describe('BusiestSecond', () => {
  it('finds each direction its busiest second, messages and bytes each their own', () => {
    const busiest = new BusiestSecond();
    // Second 10: 3 small in; second 11: 2 large in, 1 out; second 12: 1 in.
    for (const at of [10_000, 10_400, 10_999]) busiest.add('in', 10, at);
    busiest.add('in', 500, 11_000);
    busiest.add('in', 500, 11_999);
    busiest.add('out', 7, 11_500);
    busiest.add('in', 1, 12_000);
    expect(busiest.rates()).toEqual({
      in: { messagesPerSecond: 3, bytesPerSecond: 1000 },
      out: { messagesPerSecond: 1, bytesPerSecond: 7 },
    });
  });

  it('is 0 both ways for a log with no frames, and counts the last second too', () => {
    expect(new BusiestSecond().rates()).toEqual({ in: { messagesPerSecond: 0, bytesPerSecond: 0 }, out: { messagesPerSecond: 0, bytesPerSecond: 0 } });
    const busiest = new BusiestSecond();
    busiest.add('in', 1, 5_000);
    for (let i = 0; i < 4; i++) busiest.add('in', 2, 9_000 + i);
    expect(busiest.rates().in).toEqual({ messagesPerSecond: 4, bytesPerSecond: 8 });
  });
});

describe('an imported log\'s statistics', () => {
  it('carry the peak of a burst long before the last minute, which the window does not hold', async () => {
    // 500 frames within one second at the start, then one frame a minute for five minutes.
    const lines: string[] = [];
    let seq = 0;
    const start = Date.UTC(2026, 11, 7, 5, 0, 0);
    const frame = (at: number): string => JSON.stringify({ seq: ++seq, dir: 'in', opcode: 'text', at: new Date(at).toISOString(), size: 20, text: 'x'.repeat(20) });
    for (let i = 0; i < 500; i++) lines.push(frame(start + i));
    for (let m = 1; m <= 5; m++) lines.push(frame(start + m * 60_000));
    const outcome = await importLog(lines.join('\n'), { format: 'ndjson' });
    if (!outcome.ok) throw new Error(outcome.problems.items.map((p) => p.message).join('; '));
    const { log } = outcome;
    const session = new ImportedSession({ id: 'imported-1', name: 'burst.ndjson', format: log.format, url: log.url, createdAt: log.createdAt, frames: log.frames, steps: log.steps });
    const stats = session.statsNow();
    expect(stats.logPeak?.in).toEqual({ messagesPerSecond: 500, bytesPerSecond: 500 * 20 });
    expect(stats.logPeak?.out).toEqual({ messagesPerSecond: 0, bytesPerSecond: 0 });
    // The window (the log's last minute) alone would say 1/s.
    expect(Math.max(...stats.window.in.messages)).toBeLessThanOrEqual(1);
  });
});
