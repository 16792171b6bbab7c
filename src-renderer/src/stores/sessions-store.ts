/**
 * Tabs and sessions: each tab holds a connection draft and the session it last opened.
 * Subscribes once to the engine's event stream. Frame batches (already time-bounded by the
 * engine's batcher) are appended to plain arrays and announced through a version counter, so
 * a batch of hundreds of frames costs one reactive update.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowReactive } from 'vue';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { FrameBody, FrameSummary, ProxyDecision } from '../../../src-main/shared/model';
import type { CommandError, Result } from '../../../src-main/shared/result';
import type { NetError } from '../../../src-main/shared/errors';
import { getBridge } from '../bridge/active-bridge';
import { draftProxySetting, draftToOptions, emptyDraft, type ConnectionDraft } from './connection-draft';
import { appendFrames, applyEvent, createSessionView, type SessionView } from './session-view';

export interface Tab {
  id: string;
  draft: ConnectionDraft;
  sessionId: string | null;
  /** The live proxy decision for the draft's URL (before connecting). */
  preview: { decision: ProxyDecision | null; error: string | null; pending: boolean };
  /** A problem with the last command from this tab (bad argument, unknown session …). */
  commandError: string | null;
}

let tabCounter = 0;

function describeError(error: CommandError | NetError): string {
  return error.message;
}

export const useSessionsStore = defineStore('sessions', () => {
  const tabs = ref<Tab[]>([]);
  const activeTabId = ref<string | null>(null);
  const sessions = shallowReactive(new Map<string, SessionView>());
  /** Frame summaries per session: plain arrays, never made reactive. */
  const frameArrays = new Map<string, FrameSummary[]>();
  let unsubscribe: (() => void) | null = null;

  const activeTab = computed(() => tabs.value.find((t) => t.id === activeTabId.value) ?? null);
  const activeSession = computed(() => {
    const id = activeTab.value?.sessionId;
    return id ? (sessions.get(id) ?? null) : null;
  });

  function framesOf(sessionId: string): FrameSummary[] {
    return frameArrays.get(sessionId) ?? [];
  }

  function start(): void {
    if (unsubscribe) return;
    unsubscribe = getBridge().onEvent(handleEvent);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function newTab(draft: ConnectionDraft = emptyDraft()): Tab {
    tabCounter += 1;
    const tab: Tab = reactive({
      id: `tab-${tabCounter}`,
      draft,
      sessionId: null,
      preview: { decision: null, error: null, pending: false },
      commandError: null,
    });
    tabs.value.push(tab);
    activeTabId.value = tab.id;
    return tab;
  }

  function selectTab(id: string): void {
    if (tabs.value.some((t) => t.id === id)) activeTabId.value = id;
  }

  async function closeTab(id: string): Promise<void> {
    const index = tabs.value.findIndex((t) => t.id === id);
    if (index < 0) return;
    const tab = tabs.value[index];
    tabs.value.splice(index, 1);
    if (activeTabId.value === id) activeTabId.value = tabs.value[Math.max(0, index - 1)]?.id ?? null;
    if (tab?.sessionId) await disposeSession(tab.sessionId);
  }

  function tabOf(id: string): Tab | undefined {
    return tabs.value.find((t) => t.id === id);
  }

  function report<T>(tab: Tab, result: Result<T>): T | null {
    if (result.ok) {
      tab.commandError = null;
      return result.value;
    }
    tab.commandError = describeError(result.error);
    return null;
  }

  async function connect(tabId: string): Promise<void> {
    const tab = tabOf(tabId);
    if (!tab) return;
    const previous = tab.sessionId;
    const result = await getBridge()['session:open']({ options: draftToOptions(tab.draft) });
    const value = report(tab, result);
    if (!value) return;
    if (!sessions.has(value.sessionId)) {
      sessions.set(value.sessionId, reactive(createSessionView(value.sessionId, tab.draft.url.trim(), Date.now())));
      frameArrays.set(value.sessionId, markRaw([]));
    }
    tab.sessionId = value.sessionId;
    if (previous && previous !== value.sessionId) await disposeSession(previous);
  }

  async function disconnect(tabId: string, code = 1000, reason = ''): Promise<void> {
    const tab = tabOf(tabId);
    if (!tab?.sessionId) return;
    report(tab, await getBridge()['session:close']({ sessionId: tab.sessionId, code, ...(reason ? { reason } : {}) }));
  }

  async function sendText(tabId: string, text: string): Promise<boolean> {
    const tab = tabOf(tabId);
    if (!tab?.sessionId) return false;
    return report(tab, await getBridge()['session:send']({ sessionId: tab.sessionId, kind: 'text', data: text })) !== null;
  }

  async function sendBinary(tabId: string, base64: string): Promise<boolean> {
    const tab = tabOf(tabId);
    if (!tab?.sessionId) return false;
    return report(tab, await getBridge()['session:send']({ sessionId: tab.sessionId, kind: 'binary', data: base64 })) !== null;
  }

  async function ping(tabId: string, data = ''): Promise<boolean> {
    const tab = tabOf(tabId);
    if (!tab?.sessionId) return false;
    return report(tab, await getBridge()['session:ping']({ sessionId: tab.sessionId, ...(data ? { data } : {}) })) !== null;
  }

  /** Asks the engine which proxy the draft would use, and why. */
  async function previewProxy(tabId: string): Promise<void> {
    const tab = tabOf(tabId);
    if (!tab) return;
    const url = tab.draft.url.trim();
    if (!/^wss?:\/\/./i.test(url)) {
      tab.preview = { decision: null, error: null, pending: false };
      return;
    }
    tab.preview = { ...tab.preview, pending: true };
    const result = await getBridge()['proxy:resolve']({ url, proxy: draftProxySetting(tab.draft) });
    tab.preview = result.ok
      ? { decision: result.value, error: null, pending: false }
      : { decision: null, error: result.error.message, pending: false };
  }

  /** Fetches one frame's whole payload from the engine (the log only holds previews). */
  async function getFrameBody(sessionId: string, seq: number): Promise<Result<FrameBody>> {
    return getBridge()['frames:get']({ sessionId, seq });
  }

  async function disposeSession(sessionId: string): Promise<void> {
    await getBridge()['session:dispose']({ sessionId });
    sessions.delete(sessionId);
    frameArrays.delete(sessionId);
  }

  function handleEvent(event: EngineEvent): void {
    if (event.type === 'session-removed') {
      sessions.delete(event.sessionId);
      frameArrays.delete(event.sessionId);
      return;
    }
    let view = sessions.get(event.sessionId);
    if (!view) {
      // Events can arrive before session:open's answer: create the view on first sight.
      view = reactive(createSessionView(event.sessionId, event.type === 'session-created' ? event.url : '', Date.now()));
      sessions.set(event.sessionId, view);
      frameArrays.set(event.sessionId, markRaw([]));
    }
    if (event.type === 'frames') {
      const frames = frameArrays.get(event.sessionId) ?? markRaw([]);
      appendFrames(view, frames, event);
      frameArrays.set(event.sessionId, frames);
      return;
    }
    if (event.type === 'session-created') {
      view.url = event.url;
      view.createdAt = event.at;
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
    framesOf,
    start,
    stop,
    newTab,
    selectTab,
    closeTab,
    connect,
    disconnect,
    sendText,
    sendBinary,
    ping,
    previewProxy,
    getFrameBody,
    handleEvent,
  };
});
