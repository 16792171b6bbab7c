/**
 * What the profile editor edits: every field of a profile in a form-friendly shape (lists as
 * text, times in seconds), with each secret as "saved or not" plus what the user chose to do
 * with it (keep, replace with a typed value, clear). Made from a ProfileView (which has no
 * secret values) and turned back into the contract's ProfileInput. Plain functions.
 */
import {
  PROFILE_RECONNECT_DEFAULTS,
  PROXY_MODES,
  profileInputSchema,
  type ProfileInputDraft,
  type ProfileView,
  type SAVED_MESSAGE_KINDS,
} from '../../../src-main/shared/profiles';
import { HISTORY_DEFAULTS, historyFromForm, MIB } from '../../../src-main/shared/model';
import { endpointUrlProblem } from '../../../src-main/shared/endpoint-url';
import { KEEPALIVE_DEFAULTS } from '../../../src-main/shared/model';
import { DEFAULT_TRUST, type TrustSetting } from '../../../src-main/shared/model';
import { formTimeouts, timeoutsFromForm, TIMEOUT_DEFAULTS, type FormTimeouts, type Timeouts } from '../../../src-main/shared/timeouts';

export type ProxyModeAll = (typeof PROXY_MODES)[number];
export type SavedMessageKind = (typeof SAVED_MESSAGE_KINDS)[number];
export type SecretAction = 'keep' | 'replace' | 'clear';
export type PacChoice = 'url' | 'file' | 'script';

/** A secret in the editor: whether the profile holds one, what to do with it, and a typed replacement. */
export interface SecretEdit {
  saved: boolean;
  action: SecretAction;
  /** Only what the user typed as a replacement; never a stored value. */
  value: string;
}

export interface EditorHeader {
  /** A local key for list rendering (stable while the editor is open). */
  key: number;
  id?: string;
  name: string;
  secret: boolean;
  /** The value of a plain header. */
  value: string;
  /** The value of a secret header. */
  secretValue: SecretEdit;
}

export interface EditorMessage {
  key: number;
  id?: string;
  name: string;
  kind: SavedMessageKind;
  /** text and JSON: the text; binary: base64. */
  body: string;
}

export interface EditorDraft {
  name: string;
  url: string;
  /** The password of the URL's user name, kept apart from the URL (never shown). */
  urlPassword: SecretEdit;
  headers: EditorHeader[];
  /** Comma-separated. */
  subprotocols: string;
  origin: string;
  proxy: {
    mode: ProxyModeAll;
    url: string;
    pacKind: PacChoice;
    pacUrl: string;
    pacPath: string;
    pacScript: string;
    /** The password of the PAC URL's user name, kept apart from the URL (never shown). */
    pacPassword: SecretEdit;
    username: string;
    password: SecretEdit;
    /** One path per line. */
    caFiles: string;
  };
  tls: {
    caFiles: string;
    insecure: boolean;
    trust: TrustSetting;
    certFile: string;
    keyFile: string;
    passphrase: SecretEdit;
  };
  /** Every deadline in ms as the Timeouts row shows them (openMs 0: none). */
  timeouts: FormTimeouts;
  /** Frames and payload MB a session from this profile keeps. */
  history: { frames: number; megabytes: number };
  /** Keep-alive of a session from this profile (on, every 30 s, for a new profile). */
  keepalive: { enabled: boolean; intervalSeconds: number; pongTimeoutSeconds: number };
  reconnect: { enabled: boolean; initialDelaySeconds: number; maxDelaySeconds: number; maxAttempts: number; retryNormalClose?: boolean };
  savedMessages: EditorMessage[];
}

let nextKey = 1;
export function newKey(): number {
  nextKey += 1;
  return nextKey;
}

function secretEdit(saved: boolean): SecretEdit {
  return { saved, action: 'keep', value: '' };
}

export function newEditorHeader(): EditorHeader {
  return { key: newKey(), name: '', secret: false, value: '', secretValue: secretEdit(false) };
}

export function newEditorMessage(): EditorMessage {
  return { key: newKey(), name: '', kind: 'text', body: '' };
}

export function emptyEditorDraft(): EditorDraft {
  return {
    name: '',
    url: '',
    urlPassword: secretEdit(false),
    headers: [],
    subprotocols: '',
    origin: '',
    proxy: { mode: 'auto', url: '', pacKind: 'url', pacUrl: '', pacPath: '', pacScript: '', pacPassword: secretEdit(false), username: '', password: secretEdit(false), caFiles: '' },
    tls: { caFiles: '', insecure: false, trust: DEFAULT_TRUST, certFile: '', keyFile: '', passphrase: secretEdit(false) },
    timeouts: formTimeouts(),
    history: { frames: HISTORY_DEFAULTS.maxFrames, megabytes: HISTORY_DEFAULTS.maxBytes / MIB },
    keepalive: { enabled: true, intervalSeconds: KEEPALIVE_DEFAULTS.intervalMs / 1000, pongTimeoutSeconds: KEEPALIVE_DEFAULTS.pongTimeoutMs / 1000 },
    reconnect: {
      enabled: false,
      initialDelaySeconds: PROFILE_RECONNECT_DEFAULTS.initialDelayMs / 1000,
      maxDelaySeconds: PROFILE_RECONNECT_DEFAULTS.maxDelayMs / 1000,
      maxAttempts: PROFILE_RECONNECT_DEFAULTS.maxAttempts,
    },
    savedMessages: [],
  };
}

/** The editor's form for a profile; its secrets are only "saved" flags. */
export function editorDraftFromView(view: ProfileView): EditorDraft {
  const draft = emptyEditorDraft();
  draft.name = view.name;
  draft.url = view.url;
  draft.urlPassword = secretEdit(view.urlPassword?.set === true);
  draft.headers = view.headers.map((header) =>
    header.secret
      ? { key: newKey(), id: header.id, name: header.name, secret: true, value: '', secretValue: secretEdit(header.value.set) }
      : { key: newKey(), id: header.id, name: header.name, secret: false, value: header.value, secretValue: secretEdit(false) },
  );
  draft.subprotocols = view.subprotocols.join(', ');
  draft.origin = view.origin ?? '';
  const { proxy, tls } = view;
  draft.proxy = {
    mode: proxy.mode,
    url: proxy.url ?? '',
    pacKind: proxy.pac?.kind ?? 'url',
    pacUrl: proxy.pac?.kind === 'url' ? proxy.pac.url : '',
    pacPath: proxy.pac?.kind === 'file' ? proxy.pac.path : '',
    pacScript: proxy.pac?.kind === 'script' ? proxy.pac.script : '',
    pacPassword: secretEdit(proxy.pacPassword?.set === true),
    username: proxy.username ?? '',
    password: secretEdit(proxy.password.set),
    caFiles: proxy.caFiles.join('\n'),
  };
  draft.tls = {
    caFiles: tls.caFiles.join('\n'),
    insecure: tls.insecure,
    trust: tls.trust ?? DEFAULT_TRUST,
    certFile: tls.certFile ?? '',
    keyFile: tls.keyFile ?? '',
    passphrase: secretEdit(tls.passphrase.set),
  };
  draft.timeouts = formTimeouts(view);
  if (view.history) draft.history = { frames: view.history.maxFrames, megabytes: view.history.maxBytes / MIB };
  // A saved profile without a keep-alive has none (off), whatever a new profile proposes.
  draft.keepalive = view.keepalive
    ? { enabled: true, intervalSeconds: view.keepalive.intervalMs / 1000, pongTimeoutSeconds: view.keepalive.pongTimeoutMs / 1000 }
    : { ...draft.keepalive, enabled: false };
  const reconnect = view.reconnect;
  if (reconnect) {
    draft.reconnect = {
      enabled: reconnect.enabled,
      initialDelaySeconds: reconnect.initialDelayMs / 1000,
      maxDelaySeconds: reconnect.maxDelayMs / 1000,
      maxAttempts: reconnect.maxAttempts,
      ...(reconnect.retryNormalClose === true ? { retryNormalClose: true } : {}),
    };
  }
  draft.savedMessages = view.savedMessages.map((message) => ({ key: newKey(), id: message.id, name: message.name, kind: message.kind, body: message.body }));
  return draft;
}

/** keep → `{ set: saved }`, clear → `{ set: false }`, replace → the typed value (empty: keep). */
export function secretInputOf(edit: SecretEdit): { set: boolean } | { value: string } {
  if (edit.action === 'clear') return { set: false };
  if (edit.action === 'replace' && edit.value !== '') return { value: edit.value };
  return { set: edit.saved };
}

/** A URL password field, left out while there is none and nothing was done (the engine keeps what it has). */
function urlPasswordOf<K extends string>(key: K, edit: SecretEdit): { [P in K]?: { set: boolean } | { value: string } } {
  const result: { [P in K]?: { set: boolean } | { value: string } } = {};
  if (edit.saved || edit.action !== 'keep') result[key] = secretInputOf(edit);
  return result;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function optional<K extends string>(key: K, text: string): { [P in K]?: string } {
  const trimmed = text.trim();
  const result: { [P in K]?: string } = {};
  if (trimmed !== '') result[key] = trimmed;
  return result;
}

function pacOf(proxy: EditorDraft['proxy']): NonNullable<ProfileInputDraft['proxy']['pac']> | undefined {
  if (proxy.pacKind === 'script') return proxy.pacScript.trim() === '' ? undefined : { kind: 'script', script: proxy.pacScript };
  if (proxy.pacKind === 'file') return proxy.pacPath.trim() === '' ? undefined : { kind: 'file', path: proxy.pacPath.trim() };
  return proxy.pacUrl.trim() === '' ? undefined : { kind: 'url', url: proxy.pacUrl.trim() };
}

function seconds(value: number): number {
  return Math.round(Number(value) * 1000);
}

/** The history as the contract has it; nothing for the defaults (see historyFromForm). */
function historyOf(form: EditorDraft['history']): Pick<ProfileInputDraft, 'history'> {
  const history = historyFromForm(Number(form.frames), Number(form.megabytes));
  return history ? { history } : {};
}

/** The save input for the editor's form (`id` given: an update of that profile). */
export function editorDraftToInput(draft: EditorDraft, id: string | null): ProfileInputDraft {
  const pac = pacOf(draft.proxy);
  const { reconnect } = draft;
  return {
    ...(id !== null ? { id } : {}),
    name: draft.name.trim(),
    url: draft.url.trim(),
    ...urlPasswordOf('urlPassword', draft.urlPassword),
    headers: draft.headers.map((header) => {
      const idField = header.id !== undefined ? { id: header.id } : {};
      return header.secret
        ? { ...idField, name: header.name.trim(), secret: true as const, value: secretInputOf(header.secretValue) }
        : { ...idField, name: header.name.trim(), secret: false as const, value: header.value };
    }),
    subprotocols: draft.subprotocols
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
    ...optional('origin', draft.origin),
    proxy: {
      mode: draft.proxy.mode,
      ...optional('url', draft.proxy.url),
      ...(pac ? { pac } : {}),
      ...(pac?.kind === 'url' ? urlPasswordOf('pacPassword', draft.proxy.pacPassword) : {}),
      ...(draft.proxy.username !== '' ? { username: draft.proxy.username } : {}),
      password: secretInputOf(draft.proxy.password),
      caFiles: lines(draft.proxy.caFiles),
    },
    tls: {
      caFiles: lines(draft.tls.caFiles),
      insecure: draft.tls.insecure,
      ...(draft.tls.trust !== DEFAULT_TRUST ? { trust: draft.tls.trust } : {}),
      ...optional('certFile', draft.tls.certFile),
      ...optional('keyFile', draft.tls.keyFile),
      passphrase: secretInputOf(draft.tls.passphrase),
    },
    // The form's timeouts say it all; the older field stays at its default (the TLS and upgrade default), which changes nothing.
    handshakeTimeoutMs: TIMEOUT_DEFAULTS.upgradeMs,
    ...timeoutsOf(draft.timeouts),
    ...historyOf(draft.history),
    ...(draft.keepalive.enabled
      ? { keepalive: { intervalMs: seconds(draft.keepalive.intervalSeconds), pongTimeoutMs: seconds(draft.keepalive.pongTimeoutSeconds) } }
      : {}),
    reconnect: {
      enabled: reconnect.enabled,
      initialDelayMs: seconds(reconnect.initialDelaySeconds),
      maxDelayMs: seconds(reconnect.maxDelaySeconds),
      maxAttempts: Math.round(Number(reconnect.maxAttempts)),
      ...(reconnect.retryNormalClose === true ? { retryNormalClose: true } : {}),
    },
    savedMessages: draft.savedMessages.map((message) => ({
      ...(message.id !== undefined ? { id: message.id } : {}),
      name: message.name.trim(),
      kind: message.kind,
      body: message.body,
    })),
  };
}

/** A print of the form without any typed secret (only whether one was typed): for "unsaved changes". */
export function editorFingerprint(draft: EditorDraft): string {
  const mark = (edit: SecretEdit): string => `${edit.saved}/${edit.action}/${edit.action === 'replace' && edit.value !== '' ? 'typed' : ''}`;
  return JSON.stringify({
    ...draft,
    headers: draft.headers.map(({ key: _key, secretValue, ...rest }) => ({ ...rest, value: rest.secret ? '' : rest.value, secretValue: rest.secret ? mark(secretValue) : '' })),
    urlPassword: mark(draft.urlPassword),
    proxy: { ...draft.proxy, password: mark(draft.proxy.password), pacPassword: mark(draft.proxy.pacPassword) },
    tls: { ...draft.tls, passphrase: mark(draft.tls.passphrase) },
    savedMessages: draft.savedMessages.map(({ key: _key, ...rest }) => rest),
  });
}

/** Problems by place (`url`, `headers.0.name`, `proxy.url`, `savedMessages.2.body`), as the contract's check finds them. */
export type EditorProblems = Record<string, string>;

/** Checks the input as the engine will, plus what a form can say better (an unnamed header). */
export function checkEditorDraft(draft: EditorDraft, id: string | null): { input: ProfileInputDraft; problems: EditorProblems } {
  const input = editorDraftToInput(draft, id);
  const problems: EditorProblems = {};
  draft.headers.forEach((header, index) => {
    if (header.name.trim() === '') problems[`headers.${index}.name`] = 'a header needs a name (or remove the row)';
  });
  draft.savedMessages.forEach((message, index) => {
    if (message.name.trim() === '') problems[`savedMessages.${index}.name`] = 'a saved message needs a name';
  });
  const parsed = profileInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const place = placeOf(issue);
      problems[place] ??= issue.message;
    }
  }
  // The engine reads a manual proxy's URL with this parser when saving (and when connecting).
  const proxyUrl = draft.proxy.url.trim();
  const proxyProblem = draft.proxy.mode === 'manual' && proxyUrl !== '' ? endpointUrlProblem(proxyUrl, 'proxy') : undefined;
  if (proxyProblem !== undefined) problems['proxy.url'] ??= proxyProblem;
  return { input, problems };
}

function placeOf(issue: { path: readonly PropertyKey[] }): string {
  return issue.path.length === 0 ? 'general' : issue.path.map(String).join('.');
}

/** `profiles:save: profile.name: a profile named …` → place `name`, message `a profile named …`. */
export function problemFromError(message: string, path: string | undefined): { place: string; message: string } {
  let rest = message.replace(/^profiles:[a-z-]+: /, '');
  const place = (path ?? '').replace(/^profile\./, '');
  if (path !== undefined && rest.startsWith(`${path}: `)) rest = rest.slice(path.length + 2);
  if (place !== '' && rest.startsWith(`${place}: `)) rest = rest.slice(place.length + 2);
  return { place: place === '' ? 'general' : place, message: rest };
}

/** Whether a proxy mode uses the proxy URL, a PAC source, or credentials. */
export function proxyModeUses(mode: ProxyModeAll): { url: boolean; pac: boolean; credentials: boolean } {
  return { url: mode === 'manual', pac: mode === 'pac', credentials: mode !== 'none' };
}

export const PROXY_MODE_LABELS: Readonly<Record<ProxyModeAll, string>> = {
  auto: 'Auto (system, then environment)',
  none: 'None (direct)',
  manual: 'Manual',
  pac: 'PAC',
  system: 'System only',
  env: 'Environment only',
};

export const PROXY_MODE_LIST: readonly ProxyModeAll[] = PROXY_MODES;

/** The profile's deadlines from the form: only those that differ from the defaults. */
function timeoutsOf(form: FormTimeouts): { timeouts?: Timeouts } {
  const timeouts = timeoutsFromForm(form);
  return timeouts ? { timeouts } : {};
}
