/**
 * What the frames say in their protocol, as the inspector shows it (issue 14): per session the
 * engine's decoding (the choice, the protocol found, the protocols there are) and the decoded
 * rows asked for so far (summary, kind, conversation: no values; the detail pane asks for its
 * one frame's value itself). Decoding is lazy and happens in the engine: rows in view ask for
 * what they lack, batched into one `frames:decode` per tick, and the answers are kept in a
 * bounded map. Per tab, the user's choice (auto, none, a protocol) outlives the session: a tab
 * that connects again applies it to the new session.
 */
import { defineStore } from 'pinia';
import { reactive, shallowReactive, watch } from 'vue';
import type { DecodedFrame, DecodingState, ProtobufChoice } from '../../../src-main/shared/decoding';
import type { Result } from '../../../src-main/shared/result';
import { getBridge } from '../bridge/active-bridge';
import { useSessionsStore } from './sessions-store';
import { useTabsStore } from './tabs-store';

/** Decoded rows kept per session (rows in view are far fewer; the oldest answers go first). */
export const MAX_DECODED_ROWS = 5000;
/**
 * A row whose answer is flagged `unread` (decoded without the N frames before it: the engine had
 * not read that far, and is reading up to it now) is asked again after this wait while the flag
 * holds, however long that takes (minutes over a 10M-frame store; the engine's catch-up always
 * ends). So is an exact answer flagged `requestUnread` (a frame shortly before it was so: its
 * request, and so its latency, is not known yet). One flagged `withoutEvicted` is final and not
 * asked again.
 */
export const RECHECK_MS = 2000;

export interface SessionDecodingView {
  state: DecodingState | null;
  /** Why the last decoding command failed, in words. */
  error: string | null;
  /** Bumped when rows arrive (the rows map itself is plain). */
  version: number;
}

/** What decodes a session's frames, as one string that changes when the decoding does. */
function keyOf(state: DecodingState | null): string {
  return JSON.stringify([state?.choice ?? null, state?.active ?? null, state?.protobuf ?? null]);
}

/** A row the engine answered: its decoding, or null (nothing decodes it: a control frame, no protocol). */
export type DecodedRow = DecodedFrame | null;

interface SessionRows {
  rows: Map<number, DecodedRow>;
  /** Asked for, answer not here yet. */
  pending: Set<number>;
  /** Wanted in the next batch. */
  queued: Set<number>;
  /** Rows answered without the frames before them (or before their request) while the engine reads towards them: asked again. */
  unread: Set<number>;
  recheck: ReturnType<typeof setTimeout> | undefined;
}

export const useDecodingStore = defineStore('decoding', () => {
  const views = shallowReactive(new Map<string, SessionDecodingView>());
  const rowsBySession = new Map<string, SessionRows>();
  /** A tab's choice, applied to each session it opens (auto: left to the engine). */
  const choiceByTab = reactive(new Map<string, string>());
  /** A tab's Protocol Buffers schema and message type (with choice protobuf), sent with its choice. */
  const protobufByTab = reactive(new Map<string, ProtobufChoice>());
  /** The schema each session's engine decoding took (for exports with decoded values). */
  const protobufBySession = new Map<string, ProtobufChoice>();
  let flushScheduled = false;

  function viewOf(sessionId: string): SessionDecodingView {
    let view = views.get(sessionId);
    if (!view) {
      view = reactive({ state: null, error: null, version: 0 });
      views.set(sessionId, view);
    }
    return view;
  }

  function rowsOf(sessionId: string): SessionRows {
    let rows = rowsBySession.get(sessionId);
    if (!rows) {
      rows = { rows: new Map(), pending: new Set(), queued: new Set(), unread: new Set(), recheck: undefined };
      rowsBySession.set(sessionId, rows);
    }
    return rows;
  }

  function failed<T>(sessionId: string, result: Result<T>): T | null {
    const view = viewOf(sessionId);
    if (result.ok) {
      view.error = null;
      return result.value;
    }
    view.error = result.error.message;
    return null;
  }

  /** Asks the engine where the session's decoding stands (or sets `choice`). */
  async function refresh(sessionId: string, choice?: string, protobuf?: ProtobufChoice): Promise<void> {
    const result = await getBridge()['session:decoding']({ sessionId, ...(choice !== undefined ? { choice } : {}), ...(protobuf !== undefined ? { protobuf } : {}) });
    const state = failed(sessionId, result);
    if (!state) return;
    if (protobuf !== undefined) protobufBySession.set(sessionId, protobuf);
    else if (choice !== undefined) protobufBySession.delete(sessionId);
    apply(sessionId, state);
  }

  function apply(sessionId: string, state: DecodingState): void {
    const view = viewOf(sessionId);
    const changed = keyOf(view.state) !== keyOf(state);
    view.state = state;
    if (changed) forgetRows(sessionId);
  }

  /** What a session's frames decode with as the engine said last (its choice, the protocol found, the schema): reactive. */
  function decodingKey(sessionId: string): string {
    return keyOf(viewOf(sessionId).state);
  }

  function forgetRows(sessionId: string): void {
    const rows = rowsOf(sessionId);
    rows.rows.clear();
    rows.pending.clear();
    stopRechecks(rows);
    viewOf(sessionId).version += 1;
  }

  /**
   * The tab's choice: remembered for the tab and set on its session now. The tab's Protocol
   * Buffers schema (type, rules) outlives a switch to another choice: back on Protocol Buffers it
   * is sent again, so a look at the frames as MessagePack or None does not lose it.
   */
  async function choose(tabId: string, sessionId: string | null, choice: string): Promise<void> {
    choiceByTab.set(tabId, choice);
    const kept = choice === 'protobuf' ? protobufByTab.get(tabId) : undefined;
    if (sessionId) await refresh(sessionId, choice, kept);
  }

  /**
   * The tab's Protocol Buffers schema (and message type, once chosen): the engine compiles it and
   * answers the types it has. Kept for the tab only when the engine took it; else its words (what
   * and where), shown beside the control, and the session decodes as before.
   */
  async function chooseProtobuf(tabId: string | null, sessionId: string | null, protobuf: ProtobufChoice): Promise<string | null> {
    if (!sessionId) {
      if (tabId !== null) {
        choiceByTab.set(tabId, 'protobuf');
        protobufByTab.set(tabId, protobuf);
      }
      return null;
    }
    const result = await getBridge()['session:decoding']({ sessionId, choice: 'protobuf', protobuf });
    // The engine's path (protobuf.schema) is for programs; the words stand alone (file first, "type rule N" for a rule).
    if (!result.ok) return result.error.message.replace(/^session:decoding: (protobuf\.[\w.]+: )?/, '');
    if (tabId !== null) {
      choiceByTab.set(tabId, 'protobuf');
      protobufByTab.set(tabId, protobuf);
    }
    viewOf(sessionId).error = null;
    protobufBySession.set(sessionId, protobuf);
    apply(sessionId, result.value);
    return null;
  }

  function protobufOf(tabId: string): ProtobufChoice | undefined {
    return protobufByTab.get(tabId);
  }

  /** The schema and type the session decodes with (undefined: none, or no type chosen yet). */
  function protobufOfSession(sessionId: string): (ProtobufChoice & { type: string }) | undefined {
    const chosen = viewOf(sessionId).state?.choice === 'protobuf' ? protobufBySession.get(sessionId) : undefined;
    return chosen?.type !== undefined ? { schema: chosen.schema, type: chosen.type } : undefined;
  }

  function choiceOf(tabId: string): string {
    return choiceByTab.get(tabId) ?? 'auto';
  }

  /** A tab shows a session (a new connection, or the tab just opened): its choice goes to the engine. */
  async function attach(tabId: string, sessionId: string): Promise<void> {
    const choice = choiceByTab.get(tabId);
    await refresh(sessionId, choice, choice === 'protobuf' ? protobufByTab.get(tabId) : undefined);
  }

  function row(sessionId: string, seq: number): DecodedRow | undefined {
    return rowsBySession.get(sessionId)?.rows.get(seq);
  }

  /** Rows in view that have no answer yet: asked for in one batch at the end of the tick. */
  function want(sessionId: string, seqs: readonly number[]): void {
    const rows = rowsOf(sessionId);
    for (const seq of seqs) if (!rows.rows.has(seq) && !rows.pending.has(seq)) rows.queued.add(seq);
    if (rows.queued.size === 0 || flushScheduled) return;
    flushScheduled = true;
    queueMicrotask(() => {
      flushScheduled = false;
      for (const id of rowsBySession.keys()) void flush(id);
    });
  }

  async function flush(sessionId: string): Promise<void> {
    const rows = rowsBySession.get(sessionId);
    if (!rows || rows.queued.size === 0) return;
    const seqs = [...rows.queued].slice(0, 1000);
    for (const seq of seqs) {
      rows.queued.delete(seq);
      rows.pending.add(seq);
    }
    const result = await getBridge()['frames:decode']({ sessionId, seqs });
    for (const seq of seqs) rows.pending.delete(seq);
    const answer = failed(sessionId, result);
    if (!answer || rowsBySession.get(sessionId) !== rows) return;
    const view = viewOf(sessionId);
    if (JSON.stringify(view.state?.active ?? null) !== JSON.stringify(answer.active)) {
      // Auto found the protocol meanwhile (or lost it): the picker says so.
      void refresh(sessionId);
    }
    // Without a protocol yet, nothing is remembered: a live session's first messages may still name one.
    if (answer.active === null) return;
    const got = new Map(answer.frames.map((f) => [f.seq, f]));
    for (const seq of seqs) {
      const frame = got.get(seq) ?? null;
      remember(rows, seq, frame);
      noteUnread(sessionId, rows, seq, frame);
    }
    view.version += 1;
    if (rows.queued.size > 0) void flush(sessionId);
  }

  /**
   * A row decoded without the frames before it is asked again later while the engine reads
   * towards it (the row shows the marked answer meanwhile); so is an answer whose request is not
   * known yet (`requestUnread`: its latency comes once the engine has read the frames before it).
   * The catch-up ends, so this does too.
   */
  function noteUnread(sessionId: string, rows: SessionRows, seq: number, frame: DecodedRow): void {
    if (!frame?.unread && frame?.requestUnread !== true) {
      rows.unread.delete(seq);
      return;
    }
    rows.unread.add(seq);
    rows.recheck ??= setTimeout(() => {
      rows.recheck = undefined;
      if (rowsBySession.get(sessionId) !== rows) return;
      for (const waiting of rows.unread) {
        if (rows.rows.has(waiting)) rows.queued.add(waiting);
        else rows.unread.delete(waiting);
      }
      void flush(sessionId);
    }, RECHECK_MS);
  }

  function stopRechecks(rows: SessionRows): void {
    clearTimeout(rows.recheck);
    rows.recheck = undefined;
    rows.unread.clear();
  }

  function remember(rows: SessionRows, seq: number, value: DecodedRow): void {
    if (rows.rows.size >= MAX_DECODED_ROWS) {
      const oldest = rows.rows.keys().next();
      if (!oldest.done) rows.rows.delete(oldest.value);
    }
    rows.rows.set(seq, value);
  }

  /** One frame with its decoded value (the detail pane). */
  async function detail(sessionId: string, seq: number): Promise<Result<DecodedFrame | null>> {
    const result = await getBridge()['frames:decode']({ sessionId, seqs: [seq], values: true });
    if (!result.ok) return result;
    return { ok: true, value: result.value.frames[0] ?? null };
  }

  /** The session is gone. */
  function forget(sessionId: string): void {
    const rows = rowsBySession.get(sessionId);
    if (rows) stopRechecks(rows);
    views.delete(sessionId);
    rowsBySession.delete(sessionId);
    protobufBySession.delete(sessionId);
  }

  function forgetTab(tabId: string): void {
    choiceByTab.delete(tabId);
    protobufByTab.delete(tabId);
  }

  // A session the engine removed, and a closed tab, take their decoding with them.
  const sessionsStore = useSessionsStore();
  watch(
    () => [...sessionsStore.sessions.keys()],
    (ids) => {
      const live = new Set(ids);
      for (const id of new Set([...views.keys(), ...rowsBySession.keys()])) if (!live.has(id)) forget(id);
    },
  );
  // A session that ends: the last message of a direction that left a protocol frame under way
  // now says the rest never came (the engine's session-end.ts), so its rows are asked again.
  const endedSeen = new Set<string>();
  watch(
    () => [...sessionsStore.sessions.values()].filter((session) => session.closed !== null).map((session) => session.id),
    (ids) => {
      for (const id of ids) {
        if (endedSeen.has(id)) continue;
        endedSeen.add(id);
        if (rowsBySession.get(id)?.rows.size) forgetRows(id);
      }
      for (const id of endedSeen) if (!sessionsStore.sessions.has(id)) endedSeen.delete(id);
    },
  );
  const tabsStore = useTabsStore();
  watch(
    () => tabsStore.tabs.map((t) => t.id),
    (ids) => {
      const open = new Set(ids);
      for (const id of [...choiceByTab.keys()]) if (!open.has(id)) forgetTab(id);
    },
  );

  return { viewOf, decodingKey, refresh, choose, chooseProtobuf, protobufOf, protobufOfSession, choiceOf, attach, row, want, detail, forget, forgetTab };
});
