/**
 * Tabs and sessions: each tab holds a connection draft and the session it last opened.
 * Subscribes once to the engine's event stream. Frame events go to the frame feed (bounded
 * summary caches, flow-control acknowledgements, one reactive update per animation frame).
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowReactive } from 'vue';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { FrameBody, ProxyDecision } from '../../../src-main/shared/model';
import type { CommandName } from '../../../src-main/shared/commands';
import type { CommandError, Result } from '../../../src-main/shared/result';
import type { NetError } from '../../../src-main/shared/errors';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import { getBridge } from '../bridge/active-bridge';
import { draftProxySetting, emptyDraft, proxySettingComplete, type ConnectionDraft } from '../connection-form/connection-draft';
import { openArgFor, type TabProfileLink } from '../connection-form/profile-draft';
import { draftUrlProblem } from '../connection-form/draft-url-problem';
import { applyEvent, createSessionView, type SessionView } from './session-view';
import { FrameFeed } from './frame-feed';
import type { SummaryCache } from './summary-cache';
import { useEnvironmentsStore } from '../environments/environments-store';

/** A command from a tab that failed before reaching the network, and where in its argument. */
export interface CommandProblem {
  command: CommandName;
  /** The message without its `command: path:` prefix, for showing next to the field. */
  message: string;
  /** Where in the argument the problem is (`options.url`, `options.headers.0.name`), when known. */
  path: string | null;
}

export interface ProxyPreview {
  decision: ProxyDecision | null;
  error: string | null;
  pending: boolean;
  /** The URL the decision is for: the draft's, or an example while the URL field is empty. */
  forUrl: string | null;
  example: boolean;
}

export interface Tab {
  id: string;
  draft: ConnectionDraft;
  sessionId: string | null;
  /** The live proxy decision for the draft's URL (before connecting). */
  preview: ProxyPreview;
  /** A problem with the last command from this tab (bad argument, unknown session …). */
  commandError: string | null;
  /** The same problem with the command and the argument path it names. */
  commandProblem: CommandProblem | null;
  /** The profile the tab was opened from or saved as (profile-draft.ts), else null. */
  profile: TabProfileLink | null;
}

/** Resolved while the URL field is empty, so a new tab can already show the proxy in use. */
export const EXAMPLE_URL = 'wss://example.com/';

/** What a ConnectionDraft field patch may change when retrying after an error. */
export type DraftPatch = Partial<ConnectionDraft>;

let tabCounter = 0;

function describeError(error: CommandError | NetError): string {
  return error.message;
}

/** `session:open: options.url: the URL must …` → `the URL must …`. */
function stripPrefixes(message: string, command: CommandName, path: string | null): string {
  let rest = message;
  if (rest.startsWith(`${command}: `)) rest = rest.slice(command.length + 2);
  if (path && rest.startsWith(`${path}: `)) rest = rest.slice(path.length + 2);
  return rest;
}

/** The argument path a command error names (`options.url`); NetErrors have none. */
function errorPath(error: CommandError | NetError): string | null {
  return 'path' in error && typeof error.path === 'string' ? error.path : null;
}

function previewError(error: CommandError | NetError): string {
  return stripPrefixes(error.message, 'proxy:resolve', errorPath(error));
}

function emptyPreview(): ProxyPreview {
  return { decision: null, error: null, pending: false, forUrl: null, example: false };
}

export const useSessionsStore = defineStore('sessions', () => {
  const tabs = ref<Tab[]>([]);
  const activeTabId = ref<string | null>(null);
  const sessions = shallowReactive(new Map<string, SessionView>());
  /** Frame summaries per session: bounded caches, never made reactive. */
  const feed = new FrameFeed(
    (sessionId, seq) => getBridge()['frames:ack']({ sessionId, seq }),
    (sessionId) => sessions.get(sessionId),
  );
  /** The latest preview request per tab: an older answer arriving late is ignored. */
  const previewTokens = new Map<string, number>();
  let unsubscribe: (() => void) | null = null;

  const activeTab = computed(() => tabs.value.find((t) => t.id === activeTabId.value) ?? null);
  const activeSession = computed(() => {
    const id = activeTab.value?.sessionId;
    return id ? (sessions.get(id) ?? null) : null;
  });

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

  /** Opens a tab on a session the engine already has (an imported log). */
  function openSessionTab(sessionId: string, url: string): Tab {
    const tab = newTab();
    tab.draft.url = url;
    tab.sessionId = sessionId;
    if (!sessions.has(sessionId)) sessions.set(sessionId, reactive(createSessionView(sessionId, url, Date.now())));
    // The tab shows it: the engine keeps it (an import is closed from the start and would be retired).
    void getBridge()['session:pin']({ sessionId, pinned: true });
    return tab;
  }

  function start(): void {
    if (unsubscribe) return;
    unsubscribe = getBridge().onEvent(handleEvent);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function newTab(draft: ConnectionDraft = emptyDraft(), profile: TabProfileLink | null = null): Tab {
    tabCounter += 1;
    const tab: Tab = reactive({
      id: `tab-${tabCounter}`,
      draft,
      sessionId: null,
      preview: emptyPreview(),
      commandError: null,
      commandProblem: null,
      profile,
    });
    tabs.value.push(tab);
    activeTabId.value = tab.id;
    return tab;
  }

  function selectTab(id: string): void {
    if (tabs.value.some((t) => t.id === id)) activeTabId.value = id;
  }

  /** Selects the tab `delta` places away from the active one, wrapping around. */
  function selectRelativeTab(delta: number): void {
    const count = tabs.value.length;
    if (count === 0) return;
    const index = tabs.value.findIndex((t) => t.id === activeTabId.value);
    const next = tabs.value[(((index + delta) % count) + count) % count];
    if (next) activeTabId.value = next.id;
  }

  /** The session a tab last opened, if the engine still has it. */
  function sessionOf(tabId: string): SessionView | null {
    const id = tabOf(tabId)?.sessionId;
    return id ? (sessions.get(id) ?? null) : null;
  }

  async function closeTab(id: string): Promise<void> {
    const index = tabs.value.findIndex((t) => t.id === id);
    if (index < 0) return;
    const tab = tabs.value[index];
    tabs.value.splice(index, 1);
    previewTokens.delete(id);
    // Like a browser: the neighbour to the right takes the closed tab's place, else the left one.
    if (activeTabId.value === id) activeTabId.value = (tabs.value[index] ?? tabs.value[index - 1])?.id ?? null;
    if (tab?.sessionId) await disposeSession(tab.sessionId);
  }

  function tabOf(id: string): Tab | undefined {
    return tabs.value.find((t) => t.id === id);
  }

  function report<T>(tab: Tab, command: CommandName, result: Result<T>): T | null {
    if (result.ok) {
      tab.commandError = null;
      tab.commandProblem = null;
      return result.value;
    }
    const message = describeError(result.error);
    const path = errorPath(result.error);
    tab.commandError = message;
    tab.commandProblem = { command, message: stripPrefixes(message, command, path), path };
    return null;
  }

  async function connect(tabId: string): Promise<void> {
    const tab = tabOf(tabId);
    if (!tab) return;
    const previous = tab.sessionId;
    // A URL the engine's parser refuses is named next to its field without a round trip.
    const local = draftUrlProblem(tab.draft);
    if (local) {
      tab.commandError = `session:open: ${local.path}: ${local.message}`;
      tab.commandProblem = { command: 'session:open', message: local.message, path: local.path };
      return;
    }
    // Pinned: the tab shows it, so the engine keeps it after it closes (README: sessions' owner and limits).
    // The tab's environment: the engine fills the form's {{name}}s in from it.
    const result = await getBridge()['session:open']({ ...openArgFor(tab.draft, tab.profile), ...useEnvironmentsStore().openArg(tabId), pin: true });
    const value = report(tab, 'session:open', result);
    if (!value) return;
    if (!sessions.has(value.sessionId)) {
      sessions.set(value.sessionId, reactive(createSessionView(value.sessionId, tab.draft.url.trim(), Date.now())));
    }
    tab.sessionId = value.sessionId;
    if (previous && previous !== value.sessionId) await disposeSession(previous);
  }

  async function disconnect(tabId: string, code = 1000, reason = ''): Promise<void> {
    const tab = tabOf(tabId);
    if (!tab?.sessionId) return;
    report(tab, 'session:close', await getBridge()['session:close']({ sessionId: tab.sessionId, code, ...(reason ? { reason } : {}) }));
  }

  async function sendText(tabId: string, text: string): Promise<boolean> {
    const tab = tabOf(tabId);
    if (!tab?.sessionId) return false;
    return report(tab, 'session:send', await getBridge()['session:send']({ sessionId: tab.sessionId, kind: 'text', data: text })) !== null;
  }

  async function sendBinary(tabId: string, base64: string): Promise<boolean> {
    const tab = tabOf(tabId);
    if (!tab?.sessionId) return false;
    return report(tab, 'session:send', await getBridge()['session:send']({ sessionId: tab.sessionId, kind: 'binary', data: base64 })) !== null;
  }

  async function ping(tabId: string, data = ''): Promise<boolean> {
    const tab = tabOf(tabId);
    if (!tab?.sessionId) return false;
    return report(tab, 'session:ping', await getBridge()['session:ping']({ sessionId: tab.sessionId, ...(data ? { data } : {}) })) !== null;
  }

  /**
   * Asks the engine which proxy the draft would use, and why. An empty URL field asks about an
   * example URL (so a new tab can show the proxy in use); a URL that is not ws(s):// yet asks
   * nothing. Answers to older requests are dropped.
   */
  async function previewProxy(tabId: string): Promise<void> {
    const tab = tabOf(tabId);
    if (!tab) return;
    const typed = tab.draft.url.trim();
    const example = typed === '';
    const url = example ? EXAMPLE_URL : typed;
    const token = (previewTokens.get(tabId) ?? 0) + 1;
    previewTokens.set(tabId, token);
    if (!/^wss?:\/\/./i.test(url) || !proxySettingComplete(tab.draft)) {
      tab.preview = emptyPreview();
      return;
    }
    tab.preview = { ...tab.preview, pending: true };
    const result = await getBridge()['proxy:resolve']({ url, proxy: draftProxySetting(tab.draft) });
    if (previewTokens.get(tabId) !== token) return;
    tab.preview = result.ok
      ? { decision: result.value, error: null, pending: false, forUrl: url, example }
      : { decision: null, error: previewError(result.error), pending: false, forUrl: url, example };
  }

  /** Changes the tab's draft and connects again (the error panel's actions). */
  async function retryWith(tabId: string, patch: DraftPatch): Promise<void> {
    const tab = tabOf(tabId);
    if (!tab) return;
    Object.assign(tab.draft, patch);
    await connect(tabId);
  }

  /** Retries with proxy credentials (the answer to a 407). */
  async function retryWithProxyCredentials(tabId: string, username: string, password: string): Promise<void> {
    await retryWith(tabId, { proxyUsername: username, proxyPassword: password });
  }

  /**
   * Adds a CA file to the draft and retries: to the server's CA files, or to the proxy's when
   * it was the https:// proxy's certificate that was not trusted. Returns false for an empty path.
   */
  async function trustCaFile(tabId: string, path: string, scope: 'server' | 'proxy'): Promise<boolean> {
    const tab = tabOf(tabId);
    const file = path.trim();
    if (!tab || file === '') return false;
    const current = scope === 'proxy' ? tab.draft.proxyCaFiles : tab.draft.caFiles;
    const next = current.includes(file) ? current : [...current, file];
    await retryWith(tabId, scope === 'proxy' ? { proxyCaFiles: next } : { caFiles: next });
    return true;
  }

  /** Retries with certificate verification off (offered as unsafe by the error panel). */
  async function connectInsecure(tabId: string): Promise<void> {
    await retryWith(tabId, { insecure: true });
  }

  /** Fetches one frame's whole payload from the engine (the log only holds previews). */
  async function getFrameBody(sessionId: string, seq: number): Promise<Result<FrameBody>> {
    return getBridge()['frames:get']({ sessionId, seq });
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
      view.retry = info.ending ? null : (info.attempts.at(-1)?.next ?? null);
    }
  }

  function handleEvent(event: EngineEvent): void {
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
      return;
    }
    applyEvent(view, event);
  }

  return {
    tabs,
    activeTabId,
    activeTab,
    activeSession,
    sessions,
    frameCache,
    fetchPage,
    flushFrames,
    openSessionTab,
    start,
    stop,
    newTab,
    selectTab,
    selectRelativeTab,
    sessionOf,
    closeTab,
    connect,
    disconnect,
    sendText,
    sendBinary,
    ping,
    previewProxy,
    retryWith,
    retryWithProxyCredentials,
    trustCaFile,
    connectInsecure,
    getFrameBody,
    resync,
    handleEvent,
  };
});
