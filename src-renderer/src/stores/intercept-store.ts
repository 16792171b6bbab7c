/**
 * The Intercept page's slice: the engine's intercepting proxy as this page sees it (its status,
 * the connections it saw, the plain HTTP it passed on), the start form, and what the page does
 * with it (start, stop, the CA download, opening a captured WebSocket in a tab). Everything
 * comes from the `intercept-proxy:*` commands and the `intercept-*` events; the proxy itself
 * runs in the engine.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import type { HostEvent } from '../../../src-main/shared/events';
import {
  DEFAULT_INTERCEPT_HOST,
  DEFAULT_INTERCEPT_PORT,
  INTERCEPT_CA_FILE_NAME,
  MAX_INTERCEPT_CONNECTIONS,
  MAX_INTERCEPT_EXCHANGES,
  isLoopbackHost,
  type InterceptConnection,
  type InterceptDeflate,
  type InterceptExchange,
  type InterceptStartArg,
  type InterceptStatus,
  type InterceptUpstream,
} from '../../../src-main/shared/intercept-proxy';
import { DEFAULT_TRUST, type TrustSetting } from '../../../src-main/shared/model';
import { getBridge } from '../bridge/active-bridge';
import { saveTextFile } from '../util/save-text-file';
import { useHostStore } from './host-store';
import { useProfileListStore } from './profile-list-store';
import { useTabsStore } from './tabs-store';

/** What the start form holds (strings as typed; checked by the engine's schema when sent). */
export interface InterceptForm {
  port: string;
  host: string;
  allowRemote: boolean;
  upstreamMode: InterceptUpstream['mode'];
  upstreamUrl: string;
  username: string;
  password: string;
  deflate: InterceptDeflate;
  /** The roots the real servers' certificates are checked against, and extra CA files (one path per line, on the engine's machine). */
  trust: TrustSetting;
  caFilesText: string;
  /** A profile's id ('' none): its way out, sign-in and server trust replace the fields above, and its passthrough hosts count too. */
  profileId: string;
}

/** The last command's problem, with the argument field it names (`port`, `upstream.url`) when it names one. */
export interface InterceptProblem {
  message: string;
  field: string | null;
}

/** How the CA download went: saved where (the desktop app), downloaded (a browser), or why not. */
export type CaOutcome = { kind: 'saved'; where: string } | { kind: 'downloaded'; fileName: string } | { kind: 'failed'; message: string } | null;

function stoppedStatus(): InterceptStatus {
  return {
    running: false,
    remote: false,
    upstream: 'auto (the proxy variables, else the system settings, else direct)',
    upstreamMode: 'auto',
    deflate: 'strip',
    counts: { captured: 0, open: 0, refused: 0, clientTls: 0, passthrough: 0, http: 0 },
  };
}

export const useInterceptStore = defineStore('intercept', () => {
  const tabStore = useTabsStore();
  const host = useHostStore();
  const profileList = useProfileListStore();
  const status = shallowRef<InterceptStatus>(stoppedStatus());
  /** Oldest first, as the engine keeps them; a changed connection replaces its row. */
  const connections = ref<InterceptConnection[]>([]);
  const exchanges = ref<InterceptExchange[]>([]);
  const form = reactive<InterceptForm>({
    port: String(DEFAULT_INTERCEPT_PORT),
    host: DEFAULT_INTERCEPT_HOST,
    allowRemote: false,
    upstreamMode: 'auto',
    upstreamUrl: '',
    username: '',
    password: '',
    deflate: 'strip',
    trust: DEFAULT_TRUST,
    caFilesText: '',
    profileId: '',
  });
  const problem = ref<InterceptProblem | null>(null);
  const busy = ref(false);
  /** The Intercept page is shown in place of the tabs' panel. */
  const pageOpen = ref(false);
  /** Each captured WebSocket opens in a tab of its own (in the background) as it is captured. */
  const openCapturedInTabs = ref(true);
  const caOutcome = ref<CaOutcome>(null);
  /** What the last "pass through" did, in words (added, already there, or why not). */
  const passthroughNotice = ref<{ ok: boolean; text: string } | null>(null);
  let unsubscribe: (() => void) | null = null;

  // Another tab chosen (a click, a new tab, a shortcut) shows it instead of this page; a capture opened in the background does not.
  let openingInBackground = false;
  watch(
    () => tabStore.activeTabId,
    () => {
      if (!openingInBackground) pageOpen.value = false;
    },
    { flush: 'sync' },
  );

  const hostIsRemote = computed(() => form.host.trim() !== '' && !isLoopbackHost(form.host.trim()));

  /** Listens to the proxy's events and reads where it stands (at start, and after the link to the engine came back). */
  async function start(): Promise<void> {
    if (!unsubscribe) unsubscribe = getBridge().onEvent(handleEvent);
    await refresh();
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  async function refresh(): Promise<void> {
    const result = await getBridge()['intercept-proxy:status']({});
    if (!result.ok) return;
    status.value = result.value.status;
    connections.value = result.value.connections;
    exchanges.value = result.value.exchanges;
  }

  function handleEvent(event: HostEvent): void {
    if (event.type === 'intercept-status') status.value = event.status;
    else if (event.type === 'intercept-connection') upsert(event.connection);
    else if (event.type === 'intercept-http') {
      exchanges.value.push(event.exchange);
      if (exchanges.value.length > MAX_INTERCEPT_EXCHANGES) exchanges.value.splice(0, exchanges.value.length - MAX_INTERCEPT_EXCHANGES);
    }
  }

  function upsert(connection: InterceptConnection): void {
    const index = connections.value.findIndex((known) => known.id === connection.id);
    if (index >= 0) {
      connections.value[index] = connection;
      return;
    }
    connections.value.push(connection);
    if (connections.value.length > MAX_INTERCEPT_CONNECTIONS) connections.value.splice(0, connections.value.length - MAX_INTERCEPT_CONNECTIONS);
    if (connection.kind === 'captured' && connection.sessionId !== undefined && openCapturedInTabs.value) openInTab(connection, { background: true });
  }

  /** The form as the command's argument (the engine checks it and names the field that is wrong). */
  function startArg(): InterceptStartArg | InterceptProblem {
    const port = Number(form.port.trim());
    if (form.port.trim() === '' || !Number.isInteger(port)) return { message: `the port must be a whole number from 0 to 65535 (got "${form.port.slice(0, 20)}")`, field: 'port' };
    // With a profile, the way out and the servers' trust are the profile's: the engine refuses them beside it.
    if (form.profileId !== '') {
      return { port, host: form.host.trim(), allowRemote: form.allowRemote, upstream: { mode: 'auto' }, deflate: form.deflate, serverTrust: { caFiles: [] }, profileId: form.profileId };
    }
    const upstream: InterceptUpstream =
      form.upstreamMode === 'manual'
        ? {
            mode: 'manual',
            url: form.upstreamUrl.trim(),
            ...(form.username !== '' ? { username: form.username, password: form.password } : {}),
          }
        : { mode: form.upstreamMode };
    const caFiles = form.caFilesText
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const serverTrust = { ...(form.trust !== DEFAULT_TRUST ? { trust: form.trust } : {}), caFiles };
    return { port, host: form.host.trim(), allowRemote: form.allowRemote, upstream, deflate: form.deflate, serverTrust };
  }

  async function startProxy(): Promise<boolean> {
    const arg = startArg();
    if ('message' in arg) {
      problem.value = arg;
      return false;
    }
    busy.value = true;
    try {
      const result = await getBridge()['intercept-proxy:start'](arg);
      if (!result.ok) {
        const field = 'path' in result.error && typeof result.error.path === 'string' ? result.error.path : null;
        problem.value = { message: withoutPrefix(result.error.message, field), field };
        return false;
      }
      problem.value = null;
      status.value = result.value;
      return true;
    } finally {
      busy.value = false;
    }
  }

  async function stopProxy(): Promise<void> {
    busy.value = true;
    try {
      const result = await getBridge()['intercept-proxy:stop']({});
      if (result.ok) {
        status.value = result.value;
        problem.value = null;
      } else problem.value = { message: result.error.message, field: null };
    } finally {
      busy.value = false;
    }
  }

  /**
   * The CA certificate: in the desktop app the main process asks where and writes it (its save
   * dialog); in a browser the page downloads the PEM.
   */
  async function downloadCa(): Promise<void> {
    if (host.host === 'electron') {
      const saved = await getBridge()['intercept-proxy:ca-save']({});
      if (!saved.ok) caOutcome.value = { kind: 'failed', message: saved.error.message };
      else if (saved.value.savedTo !== undefined) caOutcome.value = { kind: 'saved', where: saved.value.savedTo };
      else caOutcome.value = null; // the dialog was closed
      return;
    }
    const cert = await getBridge()['intercept-proxy:ca-cert']({});
    if (!cert.ok) {
      caOutcome.value = { kind: 'failed', message: cert.error.message };
      return;
    }
    saveTextFile(cert.value.fileName || INTERCEPT_CA_FILE_NAME, cert.value.pem, 'application/x-pem-file');
    caOutcome.value = { kind: 'downloaded', fileName: cert.value.fileName };
  }

  /**
   * Adds a host (a client that pins its server's certificate) to the data folder's passthrough
   * list, or (`list: 'profile'`) to the list of the profile the proxy runs with, which is saved:
   * its next CONNECT is tunnelled untouched.
   */
  async function passThrough(host: string, list: 'global' | 'profile' = 'global'): Promise<void> {
    const result = await getBridge()['intercept-proxy:passthrough-add']({ host, list });
    if (!result.ok) {
      const field = 'path' in result.error && typeof result.error.path === 'string' ? result.error.path : 'host';
      passthroughNotice.value = { ok: false, text: withoutPrefix(result.error.message, field) };
      return;
    }
    const { added, pattern } = result.value;
    const running = status.value.profile;
    const where = result.value.list === 'profile' && running ? `the passthrough list of profile "${running.name}"` : 'the global passthrough list';
    passthroughNotice.value = { ok: true, text: added ? `${pattern} is on ${where}: its next connection goes through untouched.` : `${pattern} was on ${where} already.` };
    // The profile was saved (its revision went up): the list and an editor opened later see it as it is now.
    if (result.value.profile) profileList.remember(result.value.profile);
    if (!status.value.running) return;
    if (result.value.list === 'profile' && running) status.value = { ...status.value, profile: { ...running, passthrough: result.value.hosts } };
    else if (result.value.list === 'global') status.value = { ...status.value, passthrough: result.value.hosts };
  }

  /** Shows a captured WebSocket in a tab (the one showing it already, or a new one). */
  function openInTab(connection: InterceptConnection, options: { background?: boolean } = {}): void {
    const sessionId = connection.sessionId;
    if (sessionId === undefined) return;
    const shown = tabStore.tabs.find((tab) => tab.sessionId === sessionId);
    if (shown) {
      if (!options.background) select(shown.id);
      return;
    }
    if (!options.background) {
      select(tabStore.openSessionTab(sessionId, connection.target).id);
      return;
    }
    const previous = tabStore.activeTabId;
    openingInBackground = true;
    try {
      tabStore.openSessionTab(sessionId, connection.target);
      if (previous !== null) tabStore.selectTab(previous);
    } finally {
      openingInBackground = false;
    }
  }

  function select(tabId: string): void {
    tabStore.selectTab(tabId);
    pageOpen.value = false;
  }

  /** A tab chosen in the strip or the sessions list: shown, in place of this page. */
  function showTab(tabId: string): void {
    select(tabId);
  }

  function openPage(): void {
    pageOpen.value = true;
  }

  function closePage(): void {
    pageOpen.value = false;
  }

  return {
    status,
    connections,
    exchanges,
    form,
    problem,
    busy,
    pageOpen,
    openCapturedInTabs,
    caOutcome,
    passthroughNotice,
    hostIsRemote,
    start,
    stop,
    refresh,
    handleEvent,
    startProxy,
    stopProxy,
    downloadCa,
    passThrough,
    openInTab,
    showTab,
    openPage,
    closePage,
  };
});

/** `intercept-proxy:start: port: …` → `…` (the field is shown beside the message). */
function withoutPrefix(message: string, field: string | null): string {
  let rest = message.replace(/^intercept-proxy:[a-z-]+: /, '');
  if (field !== null && rest.startsWith(`${field}: `)) rest = rest.slice(field.length + 2);
  return rest;
}
