/**
 * Each direction's busiest second over a whole recorded log (messages and bytes, each its own
 * busiest), for an imported log's statistics: the sliding window covers only the log's last
 * minute, while a support engineer reading a customer's log wants its peak wherever it was.
 * Frames come in seq order, whose recorded times do not go back; a time that does (a clock
 * set back while capturing) starts a new second, so such a second may be counted in parts.
 */
import type { SessionStats } from '../../shared/stats';

type Direction = 'in' | 'out';
type Rates = NonNullable<SessionStats['logPeak']>;

class DirectionPeak {
  private second = Number.NaN;
  private messages = 0;
  private bytes = 0;
  private peakMessages = 0;
  private peakBytes = 0;

  add(bytes: number, at: number): void {
    const second = Math.floor(at / 1000);
    if (second !== this.second) {
      this.close();
      this.second = second;
    }
    this.messages += 1;
    this.bytes += bytes;
  }

  rates(): { messagesPerSecond: number; bytesPerSecond: number } {
    this.close();
    return { messagesPerSecond: this.peakMessages, bytesPerSecond: this.peakBytes };
  }

  private close(): void {
    this.peakMessages = Math.max(this.peakMessages, this.messages);
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
    this.messages = 0;
    this.bytes = 0;
  }
}

export class BusiestSecond {
  private readonly directions: Record<Direction, DirectionPeak> = { in: new DirectionPeak(), out: new DirectionPeak() };

  add(dir: Direction, bytes: number, at: number): void {
    this.directions[dir].add(bytes, at);
  }

  rates(): Rates {
    return { in: this.directions.in.rates(), out: this.directions.out.rates() };
  }
}
