/**
 * In the desktop app each window is one consumer of the engine's events (core Engine.subscribe):
 * it hears the sessions its page subscribes to (and those it opens, imports or adopts), in its
 * own batches acknowledged by its own `frames:ack`, so a busy window falls behind alone. The
 * subscription is made at the window's first call and closed when its contents are destroyed.
 * A reloaded page says `session:subscribe { replace: true }` first, which drops what the page
 * before it watched.
 */
import type { HostEvent } from '../shared/events';
import { DEFAULT_PAGE_TAIL_FRAMES } from '../core';

/** A window's subscription, as the engine hands it out. */
export interface WindowSubscription {
  readonly id: string;
  close(): void;
}

/** What this needs of the engine (core/engine.ts implements it). */
export interface SubscribingEngine {
  subscribe(options: { deliver: (event: HostEvent) => void; clientId?: string; batch?: { tailFrames?: number } }): WindowSubscription;
}

/** The part of a WebContents used here: its `destroyed` event (absent on a fake in tests). */
export interface SubscribingSender {
  once?(event: 'destroyed', listener: () => void): unknown;
}

export class WindowSubscriptions<W> {
  /** By the window's contents; one is taken out when its contents are destroyed. */
  private readonly subscriptions = new Map<SubscribingSender, WindowSubscription>();

  constructor(
    private readonly engine: SubscribingEngine,
    /** Sends an event to the window (when it is alive and shows the app). */
    private readonly send: (window: W, event: HostEvent) => void,
  ) {}

  /** The subscription id of the window whose page sent a call; made at its first call. */
  of(sender: SubscribingSender, window: W, clientId: string): string {
    const known = this.subscriptions.get(sender);
    if (known !== undefined) return known.id;
    // Its log shows the live end: it is sent that as rows, the rest as ranges it pages (FrameBatcher).
    const subscription = this.engine.subscribe({
      clientId,
      deliver: (event) => this.send(window, event),
      batch: { tailFrames: DEFAULT_PAGE_TAIL_FRAMES },
    });
    this.subscriptions.set(sender, subscription);
    if (typeof sender.once === 'function') {
      sender.once('destroyed', () => {
        subscription.close();
        if (this.subscriptions.get(sender) === subscription) this.subscriptions.delete(sender);
      });
    }
    return subscription.id;
  }

  /** The handlers are removed: no window hears anything more. */
  closeAll(): void {
    for (const subscription of this.subscriptions.values()) subscription.close();
    this.subscriptions.clear();
  }
}
