/**
 * One consumer of the engine's events: a host connection (an Electron window, a web page) or
 * an in-process listener (the CLI, tests). It hears only the sessions it watches (and, with
 * `list`, the list-level events of every session, LIST_EVENT_TYPES), and each watched session
 * gets its own FrameBatcher: its own batches, its own acknowledgements, its own skipped
 * notices. Created and wired by Subscriptions (subscriptions.ts).
 */
import type { HostEvent } from '../../shared/events';
import { errorMessage } from '../errors/net-failure';
import type { Clock } from '../net/clock';
import { FrameBatcher } from '../session/frame-batcher';
import type { SessionFeed } from './session-feed';

export interface BatchSettings {
  intervalMs?: number;
  maxFrames?: number;
  /** Frames out without acknowledgement before this consumer's batches become notices (FrameBatcher). */
  maxUnacked?: number;
  /** Rows sent per interval, the newest; the rest as notices (a page's or window's log; FrameBatcher). */
  tailFrames?: number;
}

export interface SubscriberOptions {
  /** Gets every event meant for this consumer; a throw is reported and the event skipped. */
  deliver: (event: HostEvent) => void;
  /** The client (page, window) behind it: whose sessions `subscribed` snapshots call "you". */
  clientId?: string;
  /** Hear the list-level events of every session from the start (default false). */
  list?: boolean;
  /** Watch every session, present and future (in-process consumers: the CLI's engine holds its one session). */
  everySession?: boolean;
  /** Whether its transport is backed up now: its frames become notices while it is (FrameBatcher). */
  congested?: () => boolean;
  batch?: BatchSettings;
}

/** What one consumer was sent: counted for tests and the benchmark. */
export interface DeliveryCounts {
  events: number;
  frames: number;
  skippedNotices: number;
}

export class Subscriber {
  readonly clientId: string | undefined;
  readonly everySession: boolean;
  readonly counts: DeliveryCounts = { events: 0, frames: 0, skippedNotices: 0 };
  /** Whether it hears the list-level events of every session. */
  list: boolean;
  private readonly watched = new Map<string, { feed: SessionFeed; batcher: FrameBatcher }>();
  private readonly sink: (event: HostEvent) => void;
  private readonly congested: (() => boolean) | undefined;
  private readonly batch: BatchSettings;
  private readonly clock: Clock | undefined;
  private closed = false;

  constructor(
    readonly id: string,
    options: SubscriberOptions,
    defaults: { batch?: BatchSettings; clock?: Clock },
  ) {
    this.sink = options.deliver;
    this.clientId = options.clientId;
    this.list = options.list === true;
    this.everySession = options.everySession === true;
    this.congested = options.congested;
    this.batch = { ...defaults.batch, ...options.batch };
    this.clock = defaults.clock;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  watches(sessionId: string): boolean {
    return this.watched.has(sessionId);
  }

  /** The sessions it watches now. */
  sessionIds(): string[] {
    return [...this.watched.keys()];
  }

  /** Starts taking the session's frames from the feed: its batches begin with the next frame stored. */
  attach(sessionId: string, feed: SessionFeed): void {
    if (this.closed || this.watched.has(sessionId)) return;
    const batcher = new FrameBatcher({
      ...this.batch,
      source: feed,
      ...(this.clock ? { clock: this.clock } : {}),
      ...(this.congested ? { congested: this.congested } : {}),
      emit: (batch) => {
        // Counted from the seq range and delivered through framesEvent: the summaries are built
        // when the consumer first reads them (a spread or `frames.length` would build them here).
        this.counts.frames += batch.toSeq - batch.fromSeq + 1;
        this.deliver(feed.eventOf(sessionId, batch));
      },
      emitSkipped: (notice) => {
        this.counts.skippedNotices += 1;
        this.deliver({ type: 'frames-skipped', sessionId, ...notice });
      },
    });
    feed.add(batcher);
    this.watched.set(sessionId, { feed, batcher });
  }

  /** Stops taking the session's frames; frames noted and not yet sent are not sent. */
  detach(sessionId: string): void {
    const entry = this.watched.get(sessionId);
    if (!entry) return;
    this.watched.delete(sessionId);
    entry.feed.remove(entry.batcher);
    entry.batcher.discard();
  }

  /** This consumer has taken in the session's frames up to `seq`; false when it does not watch it. */
  ack(sessionId: string, seq: number): boolean {
    const entry = this.watched.get(sessionId);
    if (!entry) return false;
    entry.batcher.ack(seq);
    return true;
  }

  /** Whether its batches of the session are being coalesced into notices now (it is behind). */
  isBehind(sessionId: string): boolean {
    return this.watched.get(sessionId)?.batcher.behind ?? false;
  }

  deliver(event: HostEvent): void {
    if (this.closed) return;
    this.counts.events += 1;
    try {
      this.sink(event);
    } catch (error) {
      console.error(`tunnelscope: an event consumer failed on a ${event.type} event: ${errorMessage(error)}`);
    }
  }

  /** Detaches from every session; it hears nothing more. */
  close(): void {
    if (this.closed) return;
    for (const sessionId of [...this.watched.keys()]) this.detach(sessionId);
    this.closed = true;
  }
}
