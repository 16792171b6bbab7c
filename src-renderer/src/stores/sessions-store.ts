/**
 * The sessions as the engine reports them (the contract's mirror): one view per session built
 * only from the event stream (session-view.ts), frame batches through the frame feed (bounded
 * summary caches, flow-control acknowledgements, one reactive update per animation frame), and
 * a resync after the link to the engine came back. The tabs that show them are the tabs store's.
 */
import { defineStore } from 'pinia';
import { reactive, shallowReactive } from 'vue';
import { isSessionEvent, type HostEvent } from '../../../src-main/shared/events';
import { PAYLOAD_PART_BYTES, type FramePartBody } from '../../../src-main/shared/payload-part';
import type { Result } from '../../../src-main/shared/result';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import { getBridge } from '../bridge/active-bridge';
import { applyEvent, createSessionView, type SessionView } from './session-view';
import { FrameFeed } from './frame-feed';
import type { SummaryCache } from './summary-cache';

export const useSessionsStore = defineStore('sessions', () => {
  const sessions = shallowReactive(new Map<string, SessionView>());
  /** Frame summaries per session: bounded caches, never made reactive. */
  const feed = new FrameFeed(
    (sessionId, seq) => getBridge()['frames:ack']({ sessionId, seq }),
    (sessionId) => sessions.get(sessionId),
  );
  let unsubscribe: (() => void) | null = null;

  /** The session's cached frame summaries (the engine holds them all; see frame-feed.ts). */
  function frameCache(sessionId: string): SummaryCache {
    return feed.cacheOf(sessionId);
  }

  /** Pages frames from the engine into the cache; false when the engine said no. */
  async function fetchPage(sessionId: string, fromSeq: number, limit: number): Promise<boolean> {
    const result = await getBridge()['frames:page']({ sessionId, fromSeq, limit });
    if (!result.ok || !sessions.has(sessionId)) {
      feed.cacheOf(sessionId).settle(fromSeq, limit);
      return false;
    }
    feed.page(sessionId, result.value);
    // Whatever the page did not bring (evicted meanwhile) may be asked for again.
    feed.cacheOf(sessionId).settle(fromSeq, limit);
    return true;
  }

  /** Publishes pending frame updates to the views now instead of at the next animation frame. */
  function flushFrames(): void {
    feed.flush();
  }

  function start(): void {
    if (unsubscribe) return;
    unsubscribe = getBridge().onEvent(handleEvent);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }
  /** The session's view, made now when the engine's first event has not come yet. */
  function ensureView(sessionId: string, url: string): SessionView {
    let view = sessions.get(sessionId);
    if (!view) {
      view = reactive(createSessionView(sessionId, url, Date.now()));
      sessions.set(sessionId, view);
    }
    return view;
  }

  /**
   * Fetches a part of one frame's payload from the engine (the log only holds previews): at most
   * `maxBytes` from `offset`, so one answer stays small however large the frame (payload-part.ts).
   * Credentials inside it come masked unless `reveal` (the pane's Show credentials).
   */
  async function getFramePart(sessionId: string, seq: number, offset = 0, maxBytes = PAYLOAD_PART_BYTES, reveal = false): Promise<Result<FramePartBody>> {
    return getBridge()['frames:get']({ sessionId, seq, offset, maxBytes, ...(reveal ? { reveal: true } : {}) });
  }

  async function disposeSession(sessionId: string): Promise<void> {
    await getBridge()['session:dispose']({ sessionId });
    sessions.delete(sessionId);
    feed.forget(sessionId);
  }

  /**
   * After the link to the engine was lost and came back (the web host's socket), events of
   * the gap are gone: take each session's state, frame range, handshake legs, failure and
   * ending from the engine again, and end the ones the engine no longer knows (the host
   * restarted).
   */
  async function resync(): Promise<void> {
    const result = await getBridge()['session:list']({});
    if (!result.ok) return;
    const known = new Map(result.value.map((info) => [info.sessionId, info]));
    for (const view of sessions.values()) {
      const info = known.get(view.id);
      if (info) {
        applySessionInfo(view, info);
      } else if (view.state !== 'closed' && view.state !== 'failed') {
        view.state = 'closed';
        view.stateSince = Date.now();
        view.closed = { code: null, reason: 'the engine restarted; this session ended with it', wasClean: false, initiatedBy: 'none', at: Date.now() };
      }
    }
  }

  /**
   * Where a session stands, as the engine says (session:list, or the `subscribed` event when this
   * page starts to hear it): its state, frame range, decision, legs, failure, ending, attempts.
   */
  function applySessionInfo(view: SessionView, info: SessionInfo): void {
    if (info.state !== view.state) {
      view.state = info.state;
      view.stateSince = Date.now();
    }
    view.dropped = info.framesDropped;
    if (view.url === '') view.url = info.url;
    if (info.captured) view.captured = info.captured;
    if (info.clientHandshake) view.clientHandshake = info.clientHandshake;
    // Frames of the gap: the range reaches the engine's newest seq again, and the log pages
    // the rows it shows from the engine's store (nothing was lost there).
    if (info.lastSeq > 0) {
      const firstSeq = info.framesStored > 0 ? info.lastSeq - info.framesStored + 1 : info.lastSeq;
      feed.page(view.id, { frames: [], firstSeq, lastSeq: info.lastSeq, dropped: info.framesDropped });
    }
    // What the gap's events said: the decision, the handshake legs, the failure, the ending.
    if (info.decision) view.decision = info.decision;
    if (info.steps && info.steps.length > view.steps.length) view.steps = info.steps;
    if (info.error && !view.error) view.error = info.error;
    if (info.ending && !view.closed) view.closed = info.ending;
    if (info.attempts && info.attempts.length > view.attempts.length) {
      view.attempts = info.attempts;
      // Waiting only while the ended attempt is still the connection's (closed or failed, no ending yet): once the next one started, its state is its own.
      const waiting = !info.ending && (info.state === 'closed' || info.state === 'failed');
      view.retry = waiting ? (info.attempts.at(-1)?.next ?? null) : null;
    }
    // What a reconnect sent again (a reloaded page missed the `resent` events); a later attempt's report wins.
    if (info.resent && (view.resent === null || info.resent.attempt >= view.resent.attempt)) view.resent = info.resent;
  }

  function handleEvent(event: HostEvent): void {
    // The intercepting proxy's own events name no session (intercept-store.ts hears them).
    if (!isSessionEvent(event)) return;
    if (event.type === 'session-removed') {
      sessions.delete(event.sessionId);
      feed.forget(event.sessionId);
      return;
    }
    let view = sessions.get(event.sessionId);
    if (!view) {
      // Events can arrive before session:open's answer: create the view on first sight.
      view = reactive(createSessionView(event.sessionId, event.type === 'session-created' ? event.url : '', Date.now()));
      sessions.set(event.sessionId, view);
    }
    if (event.type === 'frames') {
      feed.frames(event);
      return;
    }
    if (event.type === 'frames-skipped') {
      feed.skipped(event);
      return;
    }
    if (event.type === 'subscribed') {
      applySessionInfo(view, event.info);
      return;
    }
    if (event.type === 'session-created') {
      view.url = event.url;
      view.createdAt = event.at;
      view.readOnly = event.readOnly === true;
      view.name = event.name ?? null;
      view.captured = event.captured ?? null;
      return;
    }
    applyEvent(view, event);
  }

  return {
    sessions,
    frameCache,
    fetchPage,
    flushFrames,
    start,
    stop,
    ensureView,
    getFramePart,
    disposeSession,
    resync,
    handleEvent,
  };
});
