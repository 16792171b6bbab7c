/**
 * A session tab opened from a profile: the connection form made from the profile (its secrets
 * only as "kept", never their values), the profile input made back from the form, whether the
 * form differs from the saved profile, and how such a tab connects. Plain functions, tested
 * on their own.
 */
import type { CommandArgInput, savedSecretsSchema } from '../../../src-main/shared/commands';
import type { z } from 'zod';
import { PROFILE_RECONNECT_DEFAULTS, type ProfileInputDraft, type ProfileView, type ReconnectSetting } from '../../../src-main/shared/profiles';
import { passwordInUrl, usernameInUrl } from '../../../src-main/shared/url-password';
import { draftHistory, draftToOptions, emptyDraft, newRowKey, sentHeaders, setDraftHistory, type ConnectionDraft, type DraftHeader, type KeptSecrets } from './connection-draft';
import { looksLikeCredentialHeader } from '../../../src-main/shared/secret-headers';
import { draftKeepalive, engineioHeartbeatField, mqttKeepaliveField, setDraftKeepalive } from './connection-draft';
import { setDraftReconnect, type ReconnectDefaults } from './connection-draft';
import { RECONNECT_DEFAULTS } from '../../../src-main/shared/model';
import type { KeepaliveSetting } from '../../../src-main/shared/model';
import { DEFAULT_TRUST } from '../../../src-main/shared/model';
import { formTimeouts, timeoutsFromForm, TIMEOUT_DEFAULTS, type Timeouts } from '../../../src-main/shared/timeouts';

type SavedSecretsInput = z.input<typeof savedSecretsSchema>;

/** What a tab knows of the profile it was opened from (or saved as). */
export interface TabProfileLink {
  id: string;
  name: string;
  /** The revision the tab's form is based on (a save names it; a newer one is a conflict). */
  revision: number;
  /** The profile as last loaded or saved: the fields the form does not show come from here. */
  view: ProfileView;
  /** draftFingerprint of the form as made from `view`: the form differs when its print does. */
  baseline: string;
  /** A save was refused because the profile changed elsewhere (the message; the user chooses). */
  conflict: string | null;
}

/**
 * The connection form for a profile: secrets the profile holds are marked kept, their fields
 * empty. `reconnectDefaults`: the numbers its Reconnect row proposes when the profile has none
 * (a tab's are the engine's; the profile editor passes a profile's own).
 */
export function draftFromProfile(view: ProfileView, reconnectDefaults: ReconnectDefaults = RECONNECT_DEFAULTS): ConnectionDraft {
  const draft = emptyDraft(view.url, reconnectDefaults);
  const { proxy, tls } = view;
  draft.proxyMode = proxy.mode;
  draft.proxyUrl = proxy.url ?? '';
  draft.proxyUsername = proxy.username ?? '';
  draft.proxyAuthScheme = proxy.auth ?? 'auto';
  draft.proxyDomain = proxy.domain ?? '';
  draft.proxyServicePrincipal = proxy.servicePrincipal ?? '';
  if (proxy.pac?.kind === 'script') {
    draft.pacKind = 'script';
    draft.pacScript = proxy.pac.script;
  } else if (proxy.pac) {
    draft.pacLocation = proxy.pac.kind === 'url' ? proxy.pac.url : proxy.pac.path;
  }
  draft.proxyCaFiles = [...proxy.caFiles];
  draft.headers = view.headers.map((header) =>
    header.secret
      ? { key: newRowKey(), name: header.name, value: '', secret: true, profileHeaderId: header.id, kept: header.value.set, savedValue: header.value.set }
      : { key: newRowKey(), name: header.name, value: header.value, secret: false, profileHeaderId: header.id, ...(header.plainByChoice === true ? { plainByChoice: true } : {}) },
  );
  draft.subprotocols = [...view.subprotocols];
  draft.origin = view.origin ?? '';
  draft.caFiles = [...tls.caFiles];
  draft.insecure = tls.insecure;
  draft.trust = tls.trust ?? DEFAULT_TRUST;
  draft.certFile = tls.certFile ?? '';
  draft.keyFile = tls.keyFile ?? '';
  draft.timeouts = formTimeouts(view);
  setDraftHistory(draft, view.history);
  setDraftKeepalive(draft, view.keepalive);
  // Absent (a profile saved before the switch): on.
  draft.engineioHeartbeat = view.engineioHeartbeat !== false;
  draft.mqttKeepalive = view.mqttKeepalive !== false;
  setDraftReconnect(draft, view.reconnect, reconnectDefaults);
  const held: KeptSecrets = {
    proxyPassword: proxy.password.set,
    passphrase: tls.passphrase.set,
    ...(view.urlPassword?.set === true ? { urlPassword: true } : {}),
    ...(proxy.pacPassword?.set === true ? { pacPassword: true } : {}),
  };
  draft.keptSecrets = { ...held };
  draft.profileSecrets = held;
  return draft;
}

function nonEmpty(list: readonly string[]): string[] {
  return list.map((item) => item.trim()).filter((item) => item !== '');
}

/** A typed value replaces the secret; an empty field keeps the saved one, or has none. */
function secretInput(typed: string, kept: boolean | undefined): { value: string } | { set: boolean } {
  return typed !== '' ? { value: typed } : { set: kept === true };
}

function pacFrom(draft: ConnectionDraft): NonNullable<ProfileInputDraft['proxy']['pac']> | undefined {
  if (draft.pacKind === 'script') return draft.pacScript.trim() === '' ? undefined : { kind: 'script', script: draft.pacScript };
  const location = draft.pacLocation.trim();
  if (location === '') return undefined;
  return /^(https?|file):\/\//i.test(location) ? { kind: 'url', url: location } : { kind: 'file', path: location };
}

/**
 * A URL password field of the input: a typed one replaces it, a cleared one is `{ set: false }`;
 * otherwise it is left out and the engine keeps what it has (while the URL keeps its user name).
 */
function urlPasswordOf<K extends string>(key: K, typed: string, held: boolean | undefined, kept: boolean | undefined): { [P in K]?: { set: boolean } | { value: string } } {
  const result: { [P in K]?: { set: boolean } | { value: string } } = {};
  if (typed !== '') result[key] = { value: typed };
  else if (held === true && kept !== true) result[key] = { set: false };
  return result;
}

/** A header unticked on purpose in the profile stays plain when the tab is saved (else the engine encrypts a credential-like name). */
function plainByChoiceOf(header: DraftHeader): { plainByChoice?: true } {
  return header.plainByChoice === true && looksLikeCredentialHeader(header.name.trim()) ? { plainByChoice: true } : {};
}

export interface ProfileInputChoices {
  /**
   * Unnamed header rows too (the profile editor: the contract then names each by its row, and
   * the editor its own check); a tab leaves them out as it does when connecting.
   */
  allHeaders?: boolean;
}

/**
 * The profile input for a form: a new profile when `base` is null, else an update of `base`
 * (its saved messages, which the form does not show, stay as they are).
 */
export function profileInputFromDraft(draft: ConnectionDraft, base: ProfileView | null, name: string, choices: ProfileInputChoices = {}): ProfileInputDraft {
  const kept = draft.keptSecrets;
  const mode = draft.proxyMode;
  const pac = pacFrom(draft);
  const url = draft.proxyUrl.trim();
  const origin = draft.origin.trim();
  const certFile = draft.certFile.trim();
  const keyFile = draft.keyFile.trim();
  const history = draftHistory(draft);
  // Only ids of the base profile's own headers go back (a form header may come from elsewhere).
  const ownId = (id: string | undefined): string | undefined => (id !== undefined && base !== null && base.headers.some((h) => h.id === id) ? id : undefined);
  return {
    ...(base ? { id: base.id } : {}),
    name: name.trim(),
    url: draft.url.trim(),
    ...urlPasswordOf('urlPassword', draft.urlPassword, base !== null && draft.profileSecrets?.urlPassword, kept?.urlPassword),
    headers: draft.headers
      .filter((header) => choices.allHeaders === true || header.name.trim() !== '')
      .map((header) => {
        const id = ownId(header.profileHeaderId);
        const idField = id !== undefined ? { id } : {};
        return header.secret
          ? { ...idField, name: header.name.trim(), secret: true as const, value: secretInput(header.value, header.kept === true && id !== undefined) }
          : { ...idField, name: header.name.trim(), secret: false as const, value: header.value, ...plainByChoiceOf(header) };
      }),
    subprotocols: nonEmpty(draft.subprotocols),
    ...(origin !== '' ? { origin } : {}),
    proxy: {
      mode,
      ...(url !== '' ? { url } : {}),
      ...(pac ? { pac } : {}),
      ...(pac?.kind === 'url' ? urlPasswordOf('pacPassword', draft.pacPassword, base !== null && draft.profileSecrets?.pacPassword, kept?.pacPassword) : {}),
      ...(draft.proxyUsername !== '' ? { username: draft.proxyUsername } : {}),
      password: secretInput(draft.proxyPassword, base !== null && kept?.proxyPassword),
      caFiles: nonEmpty(draft.proxyCaFiles),
      ...(draft.proxyAuthScheme !== 'auto' ? { auth: draft.proxyAuthScheme } : {}),
      ...(draft.proxyDomain.trim() !== '' ? { domain: draft.proxyDomain.trim() } : {}),
      ...(draft.proxyServicePrincipal.trim() !== '' ? { servicePrincipal: draft.proxyServicePrincipal.trim() } : {}),
    },
    tls: {
      caFiles: nonEmpty(draft.caFiles),
      insecure: draft.insecure,
      ...(draft.trust !== DEFAULT_TRUST ? { trust: draft.trust } : {}),
      ...(certFile !== '' ? { certFile } : {}),
      ...(keyFile !== '' ? { keyFile } : {}),
      passphrase: secretInput(draft.passphrase, base !== null && kept?.passphrase),
    },
    // The form's timeouts say it all; the older field stays at its default (the TLS and upgrade default), which changes nothing.
    handshakeTimeoutMs: TIMEOUT_DEFAULTS.upgradeMs,
    ...timeoutsOf(draft),
    ...(history ? { history } : {}),
    ...keepaliveOf(draft),
    ...engineioHeartbeatField(draft),
    ...mqttKeepaliveField(draft),
    ...reconnectOf(draft, base),
    savedMessages: base ? base.savedMessages.map((message) => ({ ...message })) : [],
    // The form has no environment field: a tab's save keeps the profile's.
    ...(base?.environmentId !== undefined ? { environmentId: base.environmentId } : {}),
    // Nor a decode field: the tab's choice is added by whoever saves the tab (profile-tabs-store.ts).
    ...(base?.decode !== undefined ? { decode: base.decode } : {}),
    ...(base?.decodeProtobuf !== undefined ? { decodeProtobuf: base.decodeProtobuf } : {}),
    // Nor the intercept passthrough list (the profile editor's): a tab's Save keeps it.
    ...(base?.interceptPassthrough !== undefined ? { interceptPassthrough: base.interceptPassthrough } : {}),
  };
}

/** The form's Reconnect row; off keeps a profile's numbers (disabled) so turning it on again restores them. */
function reconnectOf(draft: ConnectionDraft, base: ProfileView | null): { reconnect?: ReconnectSetting } {
  if (!draft.reconnectOn && !base?.reconnect) return {};
  return {
    reconnect: {
      enabled: draft.reconnectOn,
      maxAttempts: draft.reconnectMaxAttempts,
      initialDelayMs: Math.round(draft.reconnectDelaySeconds * 1000),
      maxDelayMs: Math.round(draft.reconnectMaxDelaySeconds * 1000),
      ...(draft.reconnectNormalClose ? { retryNormalClose: true } : {}),
      // Absent reads as the default: a profile that never chose keeps not choosing (and round-trips as it was).
      ...(draft.reconnectResend !== PROFILE_RECONNECT_DEFAULTS.resend || base?.reconnect?.resend !== undefined ? { resend: draft.reconnectResend } : {}),
    },
  };
}

function keepaliveOf(draft: ConnectionDraft): { keepalive?: KeepaliveSetting } {
  const keepalive = draftKeepalive(draft);
  return keepalive ? { keepalive } : {};
}

/** How a secret field stands, without its value (a print never holds a secret). */
function secretMark(typed: string, kept: boolean | undefined): string {
  if (typed !== '') return 'typed';
  return kept === true ? 'kept' : 'none';
}

/**
 * A print of everything in the form a profile stores, normalised as saving would (trimmed,
 * empty entries dropped): two forms with the same print save the same profile.
 */
export function draftFingerprint(draft: ConnectionDraft): string {
  const kept = draft.keptSecrets;
  return JSON.stringify({
    url: draft.url.trim(),
    proxyMode: draft.proxyMode,
    proxyUrl: draft.proxyUrl.trim(),
    proxyUsername: draft.proxyUsername,
    proxyPassword: secretMark(draft.proxyPassword, kept?.proxyPassword),
    proxyAuthScheme: draft.proxyAuthScheme,
    proxyDomain: draft.proxyDomain.trim(),
    proxyServicePrincipal: draft.proxyServicePrincipal.trim(),
    pac: pacFrom(draft) ?? null,
    proxyCaFiles: nonEmpty(draft.proxyCaFiles),
    headers: draft.headers
      .filter((header) => header.name.trim() !== '')
      .map((header) => [header.profileHeaderId ?? '', header.name.trim(), header.secret === true, header.secret ? secretMark(header.value, header.kept) : header.value]),
    subprotocols: nonEmpty(draft.subprotocols),
    origin: draft.origin.trim(),
    caFiles: nonEmpty(draft.caFiles),
    insecure: draft.insecure,
    trust: draft.trust,
    certFile: draft.certFile.trim(),
    keyFile: draft.keyFile.trim(),
    passphrase: secretMark(draft.passphrase, kept?.passphrase),
    timeouts: timeoutsFromForm(draft.timeouts) ?? null,
    history: draftHistory(draft) ?? null,
    keepalive: draftKeepalive(draft) ?? null,
    engineioHeartbeat: draft.engineioHeartbeat,
    mqttKeepalive: draft.mqttKeepalive,
    reconnect: draft.reconnectOn ? reconnectOf(draft, null).reconnect : null,
    urlPassword: secretMark(draft.urlPassword, kept?.urlPassword),
    pacPassword: secretMark(draft.pacPassword, kept?.pacPassword),
  });
}

export function linkFor(view: ProfileView): TabProfileLink {
  return { id: view.id, name: view.name, revision: view.revision, view, baseline: draftFingerprint(draftFromProfile(view)), conflict: null };
}

export function draftDiffers(draft: ConnectionDraft, link: TabProfileLink): boolean {
  return draftFingerprint(draft) !== link.baseline;
}

/**
 * The secrets a profile tab's form keeps from the saved profile (their fields left empty), as
 * the engine is asked to fill them in; undefined when it keeps none. Header indexes count the
 * headers draftToOptions sends (named ones only).
 */
export function savedSecretsRequest(draft: ConnectionDraft, profileId: string): SavedSecretsInput | undefined {
  const kept = draft.keptSecrets;
  const proxyPassword = kept?.proxyPassword === true && draft.proxyPassword === '' && draft.proxyMode !== 'none' && draft.proxyUsername !== '';
  const passphrase = kept?.passphrase === true && draft.passphrase === '' && draft.keyFile.trim() !== '';
  const headers = sentHeaders(draft).flatMap((header, index) =>
    header.secret === true && header.kept === true && header.value === '' && header.profileHeaderId !== undefined
      ? [{ index, profileHeaderId: header.profileHeaderId }]
      : [],
  );
  // A URL password goes with the URL's user name; one typed into the URL is used as it is.
  const needsPassword = (url: string): boolean => usernameInUrl(url) !== '' && passwordInUrl(url) === undefined;
  const urlPassword = kept?.urlPassword === true && needsPassword(draft.url);
  const pacLocation = draft.pacKind === 'script' ? '' : draft.pacLocation.trim();
  const pacPassword = kept?.pacPassword === true && draft.proxyMode === 'pac' && pacLocation !== '' && needsPassword(pacLocation);
  if (!proxyPassword && !passphrase && headers.length === 0 && !urlPassword && !pacPassword) return undefined;
  return { profileId, proxyPassword, passphrase, headers, ...(urlPassword ? { urlPassword } : {}), ...(pacPassword ? { pacPassword } : {}) };
}

/**
 * How a tab connects: an unchanged profile tab by the profile's id (the engine decrypts its
 * secrets itself); a changed one with the form's options, and the secrets it kept filled in
 * by the engine from the saved profile (only where the profile sends them).
 */
export function openArgFor(draft: ConnectionDraft, link: TabProfileLink | null): CommandArgInput<'session:open'> {
  if (link && !draftDiffers(draft, link)) return { profileId: link.id, label: link.name };
  const savedSecrets = link ? savedSecretsRequest(draft, link.id) : undefined;
  return { options: draftToOptions(draft), ...(savedSecrets ? { savedSecrets } : {}), ...(link ? { label: link.name } : {}) };
}

/** The profile's deadlines from the form: only those that differ from the defaults. */
function timeoutsOf(draft: ConnectionDraft): { timeouts?: Timeouts } {
  const timeouts = timeoutsFromForm(draft.timeouts);
  return timeouts ? { timeouts } : {};
}
