/**
 * The engine's consumers and what each one watches. Every host connection (an Electron window,
 * a web page) and every in-process listener is a Subscriber; a session's non-frame events go
 * to the subscribers watching it, and the list-level ones (LIST_EVENT_TYPES) also to those
 * subscribed to the list. Frames go through each session's SessionFeed to each watcher's own
 * batcher. A session nobody watches costs its consumers nothing.
 */
import { randomUUID } from 'node:crypto';
import { LIST_EVENT_TYPES, type EngineEvent, type InterceptProxyEvent } from '../../shared/events';
import type { SessionInfo } from '../../shared/session-info';
import type { Clock } from '../net/clock';
import { SessionFeed } from './session-feed';
import { Subscriber, type BatchSettings, type SubscriberOptions } from './subscriber';

export interface SubscriptionsOptions {
  /** The engine's batch settings, each subscriber's unless it brings its own. */
  batch?: BatchSettings;
  /** Times the batch intervals (default real time; tests: fake time). */
  clock?: Clock;
  /** Where a session stands now, as session:list tells it to this client (the `subscribed` snapshot). */
  snapshot: (sessionId: string, clientId: string | undefined) => SessionInfo | undefined;
}

export class Subscriptions {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly feeds = new Map<string, SessionFeed>();
  private readonly watchers = new Map<string, Set<Subscriber>>();
  private readonly listeners = new Set<Subscriber>();
  private readonly everySession = new Set<Subscriber>();

  constructor(private readonly options: SubscriptionsOptions) {}

  /** A new consumer; an `everySession` one watches every session there is (no snapshots). */
  subscribe(options: SubscriberOptions): Subscriber {
    const subscriber = new Subscriber(randomUUID(), options, {
      ...(this.options.batch ? { batch: this.options.batch } : {}),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
    });
    this.subscribers.set(subscriber.id, subscriber);
    if (subscriber.list) this.listeners.add(subscriber);
    if (subscriber.everySession) {
      this.everySession.add(subscriber);
      for (const sessionId of this.feeds.keys()) this.watch(subscriber, sessionId, { snapshot: false });
    }
    return subscriber;
  }

  get(subscriberId: string): Subscriber | undefined {
    return this.subscribers.get(subscriberId);
  }

  /** The consumer has gone (its window closed, its socket dropped): it hears nothing more. */
  unsubscribe(subscriber: Subscriber): void {
    for (const sessionId of subscriber.sessionIds()) this.watchersOf(sessionId)?.delete(subscriber);
    subscriber.close();
    this.subscribers.delete(subscriber.id);
    this.listeners.delete(subscriber);
    this.everySession.delete(subscriber);
  }

  /** A session is being created: its feed (for the session's config); every-session consumers watch it. */
  addSession(sessionId: string): SessionFeed {
    const feed = new SessionFeed();
    this.feeds.set(sessionId, feed);
    this.watchers.set(sessionId, new Set());
    for (const subscriber of this.everySession) this.watch(subscriber, sessionId, { snapshot: false });
    return feed;
  }

  /** The session has been removed (after its `session-removed` went out): nobody watches it any more. */
  removeSession(sessionId: string): void {
    const watchers = this.watchers.get(sessionId);
    for (const subscriber of watchers ?? []) subscriber.detach(sessionId);
    this.feeds.get(sessionId)?.end();
    this.feeds.delete(sessionId);
    this.watchers.delete(sessionId);
  }

  hasSession(sessionId: string): boolean {
    return this.feeds.has(sessionId);
  }

  /**
   * The subscriber watches the session from now on: its frames after the newest stored one
   * come in its own batches. With `snapshot` (default), a `subscribed` event first says where
   * the session stands. False when the engine has no such session.
   */
  watch(subscriber: Subscriber, sessionId: string, options: { snapshot?: boolean } = {}): boolean {
    const feed = this.feeds.get(sessionId);
    const watchers = this.watchers.get(sessionId);
    if (!feed || !watchers || subscriber.isClosed) return false;
    if (subscriber.watches(sessionId)) return true;
    if (options.snapshot !== false) {
      const info = this.options.snapshot(sessionId, subscriber.clientId);
      if (info) subscriber.deliver({ type: 'subscribed', sessionId, info });
    }
    subscriber.attach(sessionId, feed);
    watchers.add(subscriber);
    return true;
  }

  unwatch(subscriber: Subscriber, sessionId: string): void {
    this.watchersOf(sessionId)?.delete(subscriber);
    subscriber.detach(sessionId);
  }

  setList(subscriber: Subscriber, on: boolean): void {
    subscriber.list = on;
    if (on && !subscriber.isClosed) this.listeners.add(subscriber);
    else this.listeners.delete(subscriber);
  }

  /** Hands a session's event (not a frame batch: those go through its feed) to whoever hears it. */
  dispatch(event: EngineEvent): void {
    // A session made without addSession (none should be) still reaches the every-session consumers, batches included.
    const watchers = this.watchers.get(event.sessionId) ?? this.everySession;
    for (const subscriber of watchers) subscriber.deliver(event);
    if (this.listeners.size === 0 || !LIST_EVENT_TYPES.has(event.type)) return;
    for (const subscriber of this.listeners) {
      if (!watchers.has(subscriber)) subscriber.deliver(event);
    }
  }

  /**
   * An event of no session (the intercepting proxy's status, connections, HTTP): to every
   * consumer of the session list, and to none that only watches sessions.
   */
  broadcast(event: InterceptProxyEvent): void {
    for (const subscriber of this.listeners) subscriber.deliver(event);
  }

  /** Closes every consumer (the engine is shutting down). */
  dispose(): void {
    for (const subscriber of [...this.subscribers.values()]) this.unsubscribe(subscriber);
  }

  private watchersOf(sessionId: string): Set<Subscriber> | undefined {
    return this.watchers.get(sessionId);
  }
}
