/**
 * One direction of an intercepted connection, with breakpoints: a message that matches a rule
 * is held (paused) and every message behind it waits in order; the held one is forwarded (as
 * it was or edited) or dropped, and the queue moves on up to the next held one. With nothing
 * held and no match, a message is delivered at once: no queue, no copy.
 */
import type { RelayMark } from '../session/relay-mark';

export interface GateMessage {
  kind: 'text' | 'binary';
  payload: Buffer;
  /** How the log marks it: edited (with the original), injected. */
  mark?: RelayMark;
}

interface Entry {
  message: GateMessage;
  /** Set while the message is held at a breakpoint. */
  heldId: number | undefined;
}

export interface GateHooks {
  /** Passes a message on (to the server, or to the client). */
  deliver: (message: GateMessage) => void;
  /** Whether a breakpoint holds this message: the id it is held under, or undefined. */
  hold: (message: GateMessage) => number | undefined;
  /** A held message was dropped: it goes nowhere (the relay logs it as dropped). */
  dropped?: (message: GateMessage) => void;
  /** The queue's length changed (not called while it stays empty). */
  changed?: () => void;
}

export class DirectionGate {
  private readonly queue: Entry[] = [];
  /** Set by abandon(): the connection ended, nothing goes through any more. */
  private ended = false;

  constructor(private readonly hooks: GateHooks) {}

  /** Messages waiting: held ones and those behind them. */
  get waiting(): number {
    return this.queue.length;
  }

  offer(message: GateMessage): void {
    if (this.ended) return;
    const heldId = this.hooks.hold(message);
    if (heldId === undefined && this.queue.length === 0) {
      this.hooks.deliver(message);
      return;
    }
    this.queue.push({ message, heldId });
    this.hooks.changed?.();
  }

  /** A message typed in Tunnelscope: never held, but behind whatever waits in this direction. */
  inject(message: GateMessage): void {
    if (this.ended) return;
    if (this.queue.length === 0) {
      this.hooks.deliver(message);
      return;
    }
    this.queue.push({ message, heldId: undefined });
    this.hooks.changed?.();
  }

  /** Lets a held message go, with `payload` instead of its own when given (marked edited); false when no such message is held here. */
  forward(heldId: number, payload?: Buffer): boolean {
    const entry = this.queue.find((e) => e.heldId === heldId);
    if (!entry) return false;
    if (payload !== undefined) {
      const original = entry.message.payload;
      entry.message = { ...entry.message, payload, mark: { mark: { action: 'edited', originalSize: original.length }, original } };
    }
    entry.heldId = undefined;
    this.drain();
    return true;
  }

  /** Drops a held message (it never reaches the other side); false when no such message is held here. */
  drop(heldId: number): boolean {
    const index = this.queue.findIndex((e) => e.heldId === heldId);
    if (index < 0) return false;
    const [entry] = this.queue.splice(index, 1);
    if (entry) this.hooks.dropped?.(entry.message);
    this.drain();
    return true;
  }

  /** Lets every held message go as it is, in order. Returns the ids that were held. */
  forwardAll(): number[] {
    const released: number[] = [];
    for (const entry of this.queue) {
      if (entry.heldId !== undefined) released.push(entry.heldId);
      entry.heldId = undefined;
    }
    this.drain();
    return released;
  }

  /**
   * The connection ended: everything waiting here (held, or behind a held message) will never be
   * delivered. Returns it in order, each with the id it was held under (undefined: waiting
   * behind one); the gate takes nothing more.
   */
  abandon(): Array<{ message: GateMessage; heldId: number | undefined }> {
    this.ended = true;
    const left = this.queue.splice(0);
    if (left.length > 0) this.hooks.changed?.();
    return left;
  }

  /** The ids held here, oldest first. */
  heldIds(): number[] {
    return this.queue.flatMap((e) => (e.heldId === undefined ? [] : [e.heldId]));
  }

  private drain(): void {
    while (this.queue.length > 0 && this.queue[0]?.heldId === undefined) {
      const entry = this.queue.shift();
      if (entry) this.hooks.deliver(entry.message);
    }
    this.hooks.changed?.();
  }
}
