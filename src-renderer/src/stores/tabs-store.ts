/**
 * The tabs: each holds a connection form (connection-form/), the session it last opened, the
 * live proxy preview and the last command's problem. What a tab does goes through here
 * (connect, send, close, retry after an error); the sessions' views themselves, built from the
 * engine's events, are the sessions store's.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { ProxyDecision } from '../../../src-main/shared/model';
import type { CommandName } from '../../../src-main/shared/commands';
import type { CommandError, Result } from '../../../src-main/shared/result';
import type { NetError } from '../../../src-main/shared/errors';
import { getBridge } from '../bridge/active-bridge';
import { draftProxySetting, emptyDraft, proxySettingComplete, type ConnectionDraft } from '../connection-form/connection-draft';
import { openArgFor, type TabProfileLink } from '../connection-form/profile-draft';
import { draftUrlProblem } from '../connection-form/draft-url-problem';
import type { SessionView } from './session-view';
import { useSessionsStore } from './sessions-store';
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
export const useTabsStore = defineStore('tabs', () => {
  const sessionStore = useSessionsStore();
  const tabs = ref<Tab[]>([]);
  const activeTabId = ref<string | null>(null);
  /** The latest preview request per tab: an older answer arriving late is ignored. */
  const previewTokens = new Map<string, number>();

  const activeTab = computed(() => tabs.value.find((t) => t.id === activeTabId.value) ?? null);
  const activeSession = computed(() => {
    const id = activeTab.value?.sessionId;
    return id ? (sessionStore.sessions.get(id) ?? null) : null;
  });

  /** Opens a tab on a session the engine already has (an imported log). */
  function openSessionTab(sessionId: string, url: string): Tab {
    const tab = newTab();
    tab.draft.url = url;
    tab.sessionId = sessionId;
    sessionStore.ensureView(sessionId, url);
    // The tab shows it: the engine keeps it (an import is closed from the start and would be retired).
    void getBridge()['session:pin']({ sessionId, pinned: true });
    return tab;
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
    return id ? (sessionStore.sessions.get(id) ?? null) : null;
  }

  async function closeTab(id: string): Promise<void> {
    const index = tabs.value.findIndex((t) => t.id === id);
    if (index < 0) return;
    const tab = tabs.value[index];
    tabs.value.splice(index, 1);
    previewTokens.delete(id);
    // Like a browser: the neighbour to the right takes the closed tab's place, else the left one.
    if (activeTabId.value === id) activeTabId.value = (tabs.value[index] ?? tabs.value[index - 1])?.id ?? null;
    if (tab?.sessionId) await sessionStore.disposeSession(tab.sessionId);
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
    sessionStore.ensureView(value.sessionId, tab.draft.url.trim());
    tab.sessionId = value.sessionId;
    if (previous && previous !== value.sessionId) await sessionStore.disposeSession(previous);
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

  return {
    tabs,
    activeTabId,
    activeTab,
    activeSession,
    openSessionTab,
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
  };
});
