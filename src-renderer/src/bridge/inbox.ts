/**
 * Takes what a socket brought in, in order, in slices of bounded time. `push` only queues; the
 * queue is worked off in a task of its own, and a slice that has run `budgetMs` stops and lets
 * the rest wait for the next task. So a burst of messages (the browser hands a page several in
 * one task) never makes one long task, and the page renders and answers input in between. A
 * page that cannot keep up takes its messages in later, acknowledges later, and the engine sends
 * it less (its flow control, see stores/ack-sender.ts).
 */

/** Runs `run` in a later task. */
export type YieldTask = (run: () => void) => void;

/**
 * A task of its own after what is queued: a MessageChannel message (no 4 ms timer clamp, and
 * unlike a microtask it lets rendering and input run first); a timer where there is none.
 */
export const nextTask: YieldTask = (run) => {
  taskChannel ??= openTaskChannel();
  if (!taskChannel) {
    setTimeout(run, 0);
    return;
  }
  taskChannel.waiting.push(run);
  taskChannel.port.postMessage(null);
};

interface TaskChannel {
  port: MessagePort;
  waiting: (() => void)[];
}

/** Made on first use (importing this module starts nothing). */
let taskChannel: TaskChannel | null | undefined;

function openTaskChannel(): TaskChannel | null {
  if (typeof MessageChannel !== 'function') return null;
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return { port: channel.port2, waiting };
}

export interface InboxOptions {
  budgetMs: number;
  yieldTask: YieldTask;
  now: () => number;
}

/** Socket messages as they came (strings, or whatever else a socket may hand over). */
export class Inbox {
  private readonly queue: unknown[] = [];
  /** The next item to take (the queue is compacted when a slice ends, not per item). */
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly take: (item: unknown) => void,
    private readonly options: InboxOptions,
  ) {}

  get waiting(): number {
    return this.queue.length - this.head;
  }

  push(item: unknown): void {
    this.queue.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    this.options.yieldTask(() => this.slice());
  }

  /** Takes everything waiting now (the socket closed: what it brought comes before what follows). */
  drainAll(): void {
    while (this.head < this.queue.length) this.takeNext();
    this.compact();
  }

  private slice(): void {
    this.scheduled = false;
    const started = this.options.now();
    while (this.head < this.queue.length) {
      this.takeNext();
      if (this.head < this.queue.length && this.options.now() - started >= this.options.budgetMs) {
        this.scheduled = true;
        this.options.yieldTask(() => this.slice());
        break;
      }
    }
    this.compact();
  }

  private takeNext(): void {
    const item = this.queue[this.head];
    this.head += 1;
    try {
      this.take(item);
    } catch (error) {
      // One bad message must not stall the rest behind it.
      console.error('tunnelscope: taking in a message failed', error);
    }
  }

  private compact(): void {
    if (this.head === 0) return;
    this.queue.splice(0, this.head);
    this.head = 0;
  }
}
