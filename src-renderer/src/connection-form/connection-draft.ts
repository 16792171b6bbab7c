/**
 * The connection form's model: what a tab's setup and the profile editor both edit (one set
 * of fields, typed by the contract: its proxy modes, sign-in schemes, trust settings, deadlines),
 * the defaults (the contract's), and how it becomes the contract's ConnectionOptions. A profile
 * is read into it and written from it by profile-draft.ts; the editor adds only the profile's
 * name and saved messages (profile-editor-draft.ts). Plain functions, tested on their own.
 */
import { HISTORY_DEFAULTS, historyFromForm, MIB, type ConnectionOptionsInput, type Header, type HistorySetting, type ProxyMode, type ProxySetting } from '../../../src-main/shared/model';
import { KEEPALIVE_DEFAULTS, type KeepaliveSetting } from '../../../src-main/shared/model';
import { DEFAULT_TRUST, type TrustSetting } from '../../../src-main/shared/model';
import type { ProxyAuthScheme } from '../../../src-main/shared/model';
import { RECONNECT_DEFAULTS, type ReconnectOptionsInput, type ResendChoice } from '../../../src-main/shared/model';
import { PROFILE_RECONNECT_DEFAULTS } from '../../../src-main/shared/profiles';
import { formTimeouts, timeoutsFromForm, type FormTimeouts, type Timeouts } from '../../../src-main/shared/timeouts';

/** Every mode of the contract: a tab opened from a profile shows the profile's own. */
export type ProxyModeChoice = ProxyMode;
/** Where a PAC file comes from: a URL or path (`pacLocation`), or a script typed inline. */
export type PacKind = 'location' | 'script';

/**
 * A header row of the form. In a tab opened from a profile, `profileHeaderId` ties the row to
 * the profile's header, and `kept` says its secret value is the profile's (the renderer never
 * sees it; the engine uses it when connecting from the saved profile).
 */
export interface DraftHeader extends Header {
  profileHeaderId?: string;
  kept?: boolean;
  /** The profile holds a value for this secret header (`kept` may have been cleared since). */
  savedValue?: boolean;
  /**
   * The user unticked "secret" on this credential-like name in the profile (its
   * `plainByChoice`, shared/secret-headers.ts): Copy as command copies it in clear, and saving
   * the tab keeps the choice. Means nothing while the row is ticked secret.
   */
  plainByChoice?: boolean;
  /** A key for list rendering, stable while the form is shown (a row's own input state follows it). */
  key?: number;
}

let lastRowKey = 0;
/** A new list-rendering key for a header or message row. */
export function newRowKey(): number {
  lastRowKey += 1;
  return lastRowKey;
}

/** Which secrets of the saved profile the draft keeps as they are (typed values replace them). */
export interface KeptSecrets {
  proxyPassword: boolean;
  passphrase: boolean;
  /** The profile has a password for its server URL / PAC URL (the form shows the URL without it). */
  urlPassword?: boolean;
  pacPassword?: boolean;
}

export interface ConnectionDraft {
  url: string;
  proxyMode: ProxyModeChoice;
  proxyUrl: string;
  proxyUsername: string;
  proxyPassword: string;
  /** How the proxy sign-in scheme is chosen (auto: the strongest the proxy offers). */
  proxyAuthScheme: ProxyAuthScheme;
  /** The NTLM domain for a plain user name (a `DOMAIN\user` or `user@domain` name carries its own). */
  proxyDomain: string;
  /** Negotiate: the proxy's service principal (`HTTP@proxy.corp.example`); empty: `HTTP@<proxy host>`. */
  proxyServicePrincipal: string;
  pacKind: PacKind;
  /** PAC: a URL (http(s)/file) or a file path. */
  pacLocation: string;
  pacScript: string;
  /** Extra CA files (PEM) for an https:// proxy's own certificate. */
  proxyCaFiles: string[];
  headers: DraftHeader[];
  subprotocols: string[];
  origin: string;
  caFiles: string[];
  insecure: boolean;
  /** Which roots the certificate is checked against (TlsSettings). */
  trust: TrustSetting;
  certFile: string;
  keyFile: string;
  passphrase: string;
  /** Every deadline in ms, as the Timeouts row shows them (openMs 0: none); only non-defaults are sent. */
  timeouts: FormTimeouts;
  compression: boolean;
  /** Frames the session keeps (the oldest go first). */
  historyFrames: number;
  /** Payload the session keeps, in MB (MiB). */
  historyMegabytes: number;
  /** Keep-alive: ping every `keepaliveSeconds`; no pong within `pongTimeoutSeconds` ends the session. */
  keepaliveOn: boolean;
  keepaliveSeconds: number;
  pongTimeoutSeconds: number;
  /** Answer a Socket.IO server's Engine.IO pings (the engineioHeartbeat option; on unless turned off). */
  engineioHeartbeat: boolean;
  /** Send MQTT PINGREQ when the keep-alive falls due (the mqttKeepalive option; on unless turned off). */
  mqttKeepalive: boolean;
  /** Reconnect after a failure or drop (the engine does it): waits from `reconnectDelaySeconds` doubling to `reconnectMaxDelaySeconds`. */
  reconnectOn: boolean;
  /** Reconnects in a row; 0: no limit. */
  reconnectMaxAttempts: number;
  reconnectDelaySeconds: number;
  reconnectMaxDelaySeconds: number;
  /** Also after a normal close (1000) by the server. */
  reconnectNormalClose: boolean;
  /** What a later attempt sends again (the protocol's opening, and the subscriptions); on with reconnecting. */
  reconnectResend: ResendChoice;
  /**
   * A replacement typed for the profile's server URL / PAC URL password (the profile editor's
   * fields; a tab types a password into the URL itself). Never sent as an option.
   */
  urlPassword: string;
  pacPassword: string;
  /** Only in a form made from a profile: which saved secrets the form keeps. */
  keptSecrets?: KeptSecrets;
  /** Only in a form made from a profile: which secrets the profile holds (fixed; `keptSecrets` may clear some). */
  profileSecrets?: KeptSecrets;
}

/** The reconnect numbers a new form proposes: a tab's are the engine's, a profile's its own (PROFILE_RECONNECT_DEFAULTS). */
export interface ReconnectDefaults {
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export function emptyDraft(url = '', reconnectDefaults: ReconnectDefaults = RECONNECT_DEFAULTS): ConnectionDraft {
  return {
    url,
    proxyMode: 'auto',
    proxyUrl: '',
    proxyUsername: '',
    proxyPassword: '',
    proxyAuthScheme: 'auto',
    proxyDomain: '',
    proxyServicePrincipal: '',
    pacKind: 'location',
    pacLocation: '',
    pacScript: '',
    proxyCaFiles: [],
    headers: [],
    subprotocols: [],
    origin: '',
    caFiles: [],
    insecure: false,
    trust: DEFAULT_TRUST,
    certFile: '',
    keyFile: '',
    passphrase: '',
    timeouts: formTimeouts(),
    compression: false,
    historyFrames: HISTORY_DEFAULTS.maxFrames,
    historyMegabytes: HISTORY_DEFAULTS.maxBytes / MIB,
    // On for a new connection: a tunnel that stalls after open is noticed (README, Keep-alive).
    keepaliveOn: true,
    keepaliveSeconds: KEEPALIVE_DEFAULTS.intervalMs / 1000,
    pongTimeoutSeconds: KEEPALIVE_DEFAULTS.pongTimeoutMs / 1000,
    // On, as the engine has it: a Socket.IO session would otherwise die at the server's ping timeout.
    engineioHeartbeat: true,
    mqttKeepalive: true,
    reconnectOn: false,
    reconnectMaxAttempts: reconnectDefaults.maxAttempts,
    reconnectDelaySeconds: reconnectDefaults.initialDelayMs / 1000,
    reconnectMaxDelaySeconds: reconnectDefaults.maxDelayMs / 1000,
    reconnectNormalClose: false,
    reconnectResend: PROFILE_RECONNECT_DEFAULTS.resend,
    urlPassword: '',
    pacPassword: '',
  };
}

/** The draft's reconnect as the contract has it (undefined: off). Out-of-range numbers go as they are, for the contract to name the bound. */
export function draftReconnect(draft: ConnectionDraft): ReconnectOptionsInput | undefined {
  if (!draft.reconnectOn) return undefined;
  return {
    maxAttempts: draft.reconnectMaxAttempts,
    initialDelayMs: Math.round(draft.reconnectDelaySeconds * 1000),
    maxDelayMs: Math.round(draft.reconnectMaxDelaySeconds * 1000),
    ...(draft.reconnectNormalClose ? { retryNormalClose: true } : {}),
    resend: draft.reconnectResend,
  };
}

/** Sets the draft's reconnect from a profile's setting (absent or disabled: off, its numbers kept ready). */
export function setDraftReconnect(
  draft: ConnectionDraft,
  setting: { enabled: boolean; initialDelayMs: number; maxDelayMs: number; maxAttempts: number; retryNormalClose?: boolean | undefined; resend?: ResendChoice | undefined } | undefined,
  defaults: ReconnectDefaults = RECONNECT_DEFAULTS,
): void {
  draft.reconnectOn = setting?.enabled === true;
  draft.reconnectMaxAttempts = setting?.maxAttempts ?? defaults.maxAttempts;
  draft.reconnectDelaySeconds = (setting?.initialDelayMs ?? defaults.initialDelayMs) / 1000;
  draft.reconnectMaxDelaySeconds = (setting?.maxDelayMs ?? defaults.maxDelayMs) / 1000;
  draft.reconnectNormalClose = setting?.retryNormalClose === true;
  draft.reconnectResend = setting?.resend ?? PROFILE_RECONNECT_DEFAULTS.resend;
}

/** The draft's keep-alive as the contract has it (undefined: off). Out-of-range numbers go as they are, for the contract to name the bound. */
export function draftKeepalive(draft: ConnectionDraft): KeepaliveSetting | undefined {
  if (!draft.keepaliveOn) return undefined;
  return { intervalMs: Math.round(draft.keepaliveSeconds * 1000), pongTimeoutMs: Math.round(draft.pongTimeoutSeconds * 1000) };
}

/** Sets the draft's keep-alive from a connection's or profile's setting (absent: off, with the default numbers ready). */
export function setDraftKeepalive(draft: ConnectionDraft, keepalive: KeepaliveSetting | undefined): void {
  draft.keepaliveOn = keepalive !== undefined;
  draft.keepaliveSeconds = (keepalive?.intervalMs ?? KEEPALIVE_DEFAULTS.intervalMs) / 1000;
  draft.pongTimeoutSeconds = (keepalive?.pongTimeoutMs ?? KEEPALIVE_DEFAULTS.pongTimeoutMs) / 1000;
}

/** The draft's history as the contract has it, or undefined for the defaults (see historyFromForm). */
export function draftHistory(draft: ConnectionDraft): HistorySetting | undefined {
  return historyFromForm(draft.historyFrames, draft.historyMegabytes);
}

/** Sets the draft's history fields from a connection's or profile's setting (absent: the defaults). */
export function setDraftHistory(draft: ConnectionDraft, history: HistorySetting | undefined): void {
  draft.historyFrames = history?.maxFrames ?? HISTORY_DEFAULTS.maxFrames;
  draft.historyMegabytes = (history?.maxBytes ?? HISTORY_DEFAULTS.maxBytes) / MIB;
}

export function draftProxySetting(draft: ConnectionDraft): ProxySetting {
  switch (draft.proxyMode) {
    case 'none':
      return { mode: 'none' };
    case 'manual':
      return {
        mode: 'manual',
        url: draft.proxyUrl.trim(),
        ...(draft.proxyUsername ? { username: draft.proxyUsername, password: draft.proxyPassword } : {}),
      };
    case 'pac': {
      const location = draft.pacLocation.trim();
      if (draft.pacKind === 'script') return { mode: 'pac', source: { kind: 'script', script: draft.pacScript } };
      if (/^(https?|file):\/\//i.test(location)) return { mode: 'pac', source: { kind: 'url', url: location } };
      return { mode: 'pac', source: { kind: 'file', path: location } };
    }
    case 'auto':
      return { mode: 'auto' };
    case 'system':
      return { mode: 'system' };
    case 'env':
      return { mode: 'env' };
  }
}

function nonEmptyPaths(paths: string[]): string[] {
  return paths.map((p) => p.trim()).filter((p) => p !== '');
}

/** The form's headers that are sent: the named ones (an empty row is left out). */
export function sentHeaders(draft: ConnectionDraft): DraftHeader[] {
  return draft.headers.filter((h) => h.name.trim() !== '');
}

export function draftToOptions(draft: ConnectionDraft): ConnectionOptionsInput {
  const headers = sentHeaders(draft);
  const subprotocols = draft.subprotocols.map((s) => s.trim()).filter((s) => s !== '');
  const proxy = draftProxySetting(draft);
  const domain = draft.proxyDomain.trim();
  return {
    url: draft.url.trim(),
    proxy,
    // Credentials typed for Auto/PAC apply to whichever proxy gets chosen; for a manual proxy
    // they are in its setting, and proxyAuth only adds the NTLM domain to them.
    ...(proxy.mode !== 'none' && draft.proxyUsername && (proxy.mode !== 'manual' || domain !== '')
      ? { proxyAuth: { username: draft.proxyUsername, password: draft.proxyPassword, ...(domain !== '' ? { domain } : {}) } }
      : {}),
    ...(proxy.mode !== 'none' && draft.proxyAuthScheme !== 'auto' ? { proxyAuthScheme: draft.proxyAuthScheme } : {}),
    ...(proxy.mode !== 'none' && draft.proxyServicePrincipal.trim() !== '' ? { proxyAuthServicePrincipal: draft.proxyServicePrincipal.trim() } : {}),
    proxyCaFiles: nonEmptyPaths(draft.proxyCaFiles),
    headers: headers.map((h) => ({ name: h.name.trim(), value: h.value, ...(h.secret ? { secret: true } : {}) })),
    subprotocols,
    ...(draft.origin.trim() ? { origin: draft.origin.trim() } : {}),
    tls: {
      caFiles: nonEmptyPaths(draft.caFiles),
      insecure: draft.insecure,
      ...(draft.trust !== DEFAULT_TRUST ? { trust: draft.trust } : {}),
      ...(draft.certFile.trim() ? { certFile: draft.certFile.trim() } : {}),
      ...(draft.keyFile.trim() ? { keyFile: draft.keyFile.trim() } : {}),
      ...(draft.passphrase ? { passphrase: draft.passphrase } : {}),
    },
    ...timeoutsField(draft),
    compression: draft.compression,
    ...historyField(draft),
    ...keepaliveField(draft),
    ...engineioHeartbeatField(draft),
    ...mqttKeepaliveField(draft),
    ...reconnectField(draft),
  };
}

/** Only `false` is sent: absent is the engine's default (on). */
export function engineioHeartbeatField(draft: ConnectionDraft): { engineioHeartbeat?: false } {
  return draft.engineioHeartbeat ? {} : { engineioHeartbeat: false };
}

/** Only `false` is sent: absent is the engine's default (on). */
export function mqttKeepaliveField(draft: ConnectionDraft): { mqttKeepalive?: false } {
  return draft.mqttKeepalive ? {} : { mqttKeepalive: false };
}

function reconnectField(draft: ConnectionDraft): { reconnect?: ReconnectOptionsInput } {
  const reconnect = draftReconnect(draft);
  return reconnect ? { reconnect } : {};
}

function keepaliveField(draft: ConnectionDraft): { keepalive?: KeepaliveSetting } {
  const keepalive = draftKeepalive(draft);
  return keepalive ? { keepalive } : {};
}

function timeoutsField(draft: ConnectionDraft): { timeouts?: Timeouts } {
  const timeouts = timeoutsFromForm(draft.timeouts);
  return timeouts ? { timeouts } : {};
}

function historyField(draft: ConnectionDraft): { history?: HistorySetting } {
  const history = draftHistory(draft);
  return history ? { history } : {};
}

/** Whether the proxy part of the draft is filled in enough to ask which proxy it picks. */
export function proxySettingComplete(draft: ConnectionDraft): boolean {
  if (draft.proxyMode === 'manual') return draft.proxyUrl.trim() !== '';
  if (draft.proxyMode === 'pac') return draft.pacKind === 'script' ? draft.pacScript.trim() !== '' : draft.pacLocation.trim() !== '';
  return true;
}
