/**
 * Builds the stored form of a profile from what the renderer saved or what an import file
 * held: ids for new headers and messages, revision and timestamps, secrets encrypted (or kept,
 * or cleared, as the input says), and a password typed into the proxy URL moved into the
 * encrypted password field so it is never stored in clear. The same goes for a password in the
 * server URL or a PAC URL (url-credentials.ts): the URL keeps the user name, the password is
 * encrypted apart.
 */
import type { ProfileInput, SecretInput } from '../../shared/profiles';
import { passwordInUrl } from '../../shared/url-password';
import { headerIsSecret, looksLikeCredentialHeader } from '../../shared/secret-headers';
import { tryParseProxyUrl } from '../proxy/parse-proxy-url';
import type { SecretEnvelope } from '../secrets/secret-store';
import { FieldError } from './field-error';
import type { ExportProfile, StoredProfile } from './profile-schema';
import { urlPasswordFor } from './url-credentials';
import type { PathSegment } from './zod-problems';

export { FieldError };

/** The fields both sources share, with their own kind of secret (S) and header secret (H). */
interface SourceFields<S, H> {
  name: string;
  url: string;
  urlPassword?: S;
  headers: ({ id?: string | undefined; name: string; secret: false; value: string; plainByChoice?: true | undefined } | { id?: string | undefined; name: string; secret: true; value?: H })[];
  subprotocols: string[];
  origin?: string | undefined;
  proxy: Omit<StoredProfile['proxy'], 'password' | 'pacPassword'> & { password?: S; pacPassword?: S };
  tls: Omit<StoredProfile['tls'], 'passphrase'> & { passphrase?: S };
  handshakeTimeoutMs: number;
  timeouts?: StoredProfile['timeouts'];
  reconnect?: StoredProfile['reconnect'];
  history?: StoredProfile['history'];
  keepalive?: StoredProfile['keepalive'];
  engineioHeartbeat?: boolean | undefined;
  mqttKeepalive?: boolean | undefined;
  environmentId?: string | undefined;
  decode?: string | undefined;
  decodeProtobuf?: StoredProfile['decodeProtobuf'];
  interceptPassthrough?: string[] | undefined;
  savedMessages: { id?: string | undefined; name: string; kind: StoredProfile['savedMessages'][number]['kind']; body: string }[];
}

type Resolve<V> = (value: V | undefined, previous: SecretEnvelope | undefined, at: PathSegment[]) => SecretEnvelope | undefined;

interface BuildOptions<S, H> {
  id: string;
  previous?: StoredProfile;
  now: number;
  newId: () => string;
  encrypt: (text: string) => SecretEnvelope;
  secret: Resolve<S>;
  headerSecret: Resolve<H>;
  /** Whether a secret field brings a new value (not just "keep" or "clear"). */
  isNew: (value: S | undefined) => boolean;
}

function buildStored<S, H>(source: SourceFields<S, H>, options: BuildOptions<S, H>): StoredProfile {
  const { previous } = options;
  const proxy = withoutUrlCredentials(source.proxy);
  // A password typed into the URL is the newest word on it.
  const password =
    proxy.urlPassword !== undefined
      ? options.encrypt(proxy.urlPassword)
      : options.secret(source.proxy.password, previous?.proxy.password, ['proxy', 'password']);
  const { password: _ignored, pacPassword: _pacIgnored, ...proxyFields } = source.proxy;
  const { passphrase: _alsoIgnored, ...tlsFields } = source.tls;
  const passphrase = options.secret(source.tls.passphrase, previous?.tls.passphrase, ['tls', 'passphrase']);
  const server = urlPasswordFor(
    { url: source.url, password: source.urlPassword, at: ['url'], passwordAt: ['urlPassword'] },
    previous && { url: previous.url, password: previous.urlPassword },
    options,
  );
  const pacUrl = pacUrlOf(source.proxy);
  const previousPac = previous?.proxy.pac?.kind === 'url' ? previous.proxy.pac.url : undefined;
  const pac =
    pacUrl === undefined
      ? undefined
      : urlPasswordFor(
          { url: pacUrl, password: source.proxy.pacPassword, at: ['proxy', 'pac', 'url'], passwordAt: ['proxy', 'pacPassword'] },
          previous && previousPac !== undefined ? { url: previousPac, password: previous.proxy.pacPassword } : undefined,
          options,
        );

  return {
    id: options.id,
    revision: (previous?.revision ?? 0) + 1,
    createdAt: previous?.createdAt ?? options.now,
    updatedAt: options.now,
    name: source.name,
    url: server.url,
    ...(server.password !== undefined ? { urlPassword: server.password } : {}),
    headers: source.headers.map((header, index) => {
      const id = header.id ?? options.newId();
      if (!header.secret) {
        // Unticked on purpose: kept in clear (the choice means nothing for a name that looks like no credential).
        if (header.plainByChoice === true && looksLikeCredentialHeader(header.name)) return { id, name: header.name, secret: false, value: header.value, plainByChoice: true };
        // Never stored in clear: a credential-like header is secret unless the user said not (shared/secret-headers.ts).
        if (looksLikeCredentialHeader(header.name)) return { id, name: header.name, secret: true, value: options.encrypt(header.value) };
        return { id, name: header.name, secret: false, value: header.value };
      }
      const before = previous?.headers.find((old) => old.id === id && old.secret);
      const value = options.headerSecret(header.value, before?.secret ? before.value : undefined, ['headers', index, 'value']);
      return value === undefined ? { id, name: header.name, secret: true } : { id, name: header.name, secret: true, value };
    }),
    subprotocols: source.subprotocols,
    ...(source.origin !== undefined ? { origin: source.origin } : {}),
    proxy: {
      ...proxyFields,
      ...(pac !== undefined ? { pac: { kind: 'url' as const, url: pac.url } } : {}),
      ...(pac?.password !== undefined ? { pacPassword: pac.password } : {}),
      ...(proxy.url !== undefined ? { url: proxy.url } : {}),
      ...(proxy.username !== undefined ? { username: proxy.username } : {}),
      ...(password !== undefined ? { password } : {}),
    },
    tls: { ...tlsFields, ...(passphrase !== undefined ? { passphrase } : {}) },
    handshakeTimeoutMs: source.handshakeTimeoutMs,
    ...(source.timeouts !== undefined ? { timeouts: source.timeouts } : {}),
    ...(source.reconnect !== undefined ? { reconnect: source.reconnect } : {}),
    ...(source.history !== undefined ? { history: source.history } : {}),
    ...(source.keepalive !== undefined ? { keepalive: source.keepalive } : {}),
    ...(source.engineioHeartbeat !== undefined ? { engineioHeartbeat: source.engineioHeartbeat } : {}),
    ...(source.mqttKeepalive !== undefined ? { mqttKeepalive: source.mqttKeepalive } : {}),
    ...(source.environmentId !== undefined ? { environmentId: source.environmentId } : {}),
    ...(source.decode !== undefined ? { decode: source.decode } : {}),
    ...(source.decodeProtobuf !== undefined ? { decodeProtobuf: source.decodeProtobuf } : {}),
    ...(source.interceptPassthrough !== undefined ? { interceptPassthrough: source.interceptPassthrough } : {}),
    savedMessages: source.savedMessages.map((message) => ({ ...message, id: message.id ?? options.newId() })),
  };
}

/**
 * `http://user:pass@proxy:3128` → url `http://proxy:3128`, username `user`, password `pass`
 * (to be encrypted). A URL that has credentials but cannot be parsed is refused, since it
 * could not be stored without them in clear.
 */
function withoutUrlCredentials(proxy: { url?: string | undefined; username?: string | undefined }): {
  url?: string;
  username?: string;
  urlPassword?: string;
} {
  const { url, username } = proxy;
  const base = { ...(url !== undefined ? { url } : {}), ...(username !== undefined ? { username } : {}) };
  if (url === undefined || !hasUserinfo(url)) return base;
  const parsed = tryParseProxyUrl(url);
  if (!parsed.ok) throw new FieldError(['proxy', 'url'], `this proxy URL is not valid: ${parsed.problem}`);
  const stripped = url.trim().replace(/^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?)[^/?#]*@/, '$1');
  const moved: { url: string; username?: string; urlPassword?: string } = { url: stripped };
  const user = parsed.endpoint.username ?? username;
  if (user !== undefined) moved.username = user;
  if (parsed.endpoint.password !== undefined && parsed.endpoint.password !== '') moved.urlPassword = parsed.endpoint.password;
  return moved;
}

/**
 * What is wrong with the proxy URL, if anything. A manual proxy's URL must parse; other modes
 * keep a URL only so it is not lost when switching back, unless it holds credentials (which
 * must be parsed out to be stored encrypted).
 */
export function proxyUrlProblem(source: { proxy: { mode: string; url?: string | undefined } }): FieldError | undefined {
  const { url } = source.proxy;
  if (url === undefined || (source.proxy.mode !== 'manual' && !hasUserinfo(url))) return undefined;
  const parsed = tryParseProxyUrl(url);
  return parsed.ok ? undefined : new FieldError(['proxy', 'url'], `this proxy URL is not valid: ${parsed.problem}`);
}

/** The parts of an imported profile its URL credentials are read from; one that was not valid is left out (import-part-checks.ts). */
type UrlParts = Partial<Pick<ExportProfile, 'url' | 'urlPassword' | 'proxy'>>;

/**
 * What is wrong with the credentials in the server URL and PAC URL of an import, if anything
 * (a password with no user name, a URL with credentials that cannot be parsed), found by
 * building them without a cipher.
 */
export function urlCredentialProblems(profile: UrlParts): FieldError[] {
  const problems: FieldError[] = [];
  const dryRun = { encrypt: () => ({ enc: 'keyfile' as const, data: '' }), secret: () => undefined, isNew: (value: string | undefined) => value !== undefined };
  const check = (run: () => unknown): void => {
    try {
      run();
    } catch (error) {
      if (error instanceof FieldError) problems.push(error);
      else throw error;
    }
  };
  const { url, proxy } = profile;
  if (url !== undefined) check(() => urlPasswordFor({ url, password: profile.urlPassword, at: ['url'], passwordAt: ['urlPassword'] }, undefined, dryRun));
  const pacUrl = proxy && pacUrlOf(proxy);
  if (proxy !== undefined && pacUrl !== undefined) {
    check(() =>
      urlPasswordFor({ url: pacUrl, password: proxy.pacPassword, at: ['proxy', 'pac', 'url'], passwordAt: ['proxy', 'pacPassword'] }, undefined, dryRun),
    );
  }
  return problems;
}

function pacUrlOf(proxy: { pac?: StoredProfile['proxy']['pac'] }): string | undefined {
  return proxy.pac?.kind === 'url' ? proxy.pac.url : undefined;
}

function checkProxyUrl(source: { proxy: { mode: string; url?: string | undefined } }): void {
  const problem = proxyUrlProblem(source);
  if (problem) throw problem;
}

function hasUserinfo(url: string): boolean {
  return /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#]*@/.test(url.trim());
}

// ---------------------------------------------------------------------------------------
// The two sources
// ---------------------------------------------------------------------------------------

export interface FromInputOptions {
  id: string;
  previous?: StoredProfile;
  now: number;
  newId: () => string;
  /** Only called when the input carries a new secret (saving without one never needs the cipher). */
  encrypt: (text: string) => SecretEnvelope;
}

/** A save from the renderer: secrets kept (`{ set: true }`), cleared (`{ set: false }`) or replaced (`{ value }`). */
export function storedFromInput(input: ProfileInput, options: FromInputOptions): StoredProfile {
  checkProxyUrl(input);
  const resolve = (value: SecretInput | undefined, previous: SecretEnvelope | undefined, at: PathSegment[]): SecretEnvelope | undefined => {
    if (value === undefined) return previous;
    if ('value' in value) return options.encrypt(value.value);
    if (!value.set) return undefined;
    if (previous === undefined) throw new FieldError(at, 'there is no stored secret to keep here; enter the value');
    return previous;
  };
  return buildStored(input, {
    id: options.id,
    now: options.now,
    newId: options.newId,
    encrypt: options.encrypt,
    secret: resolve,
    headerSecret: resolve,
    isNew: (value) => value !== undefined && 'value' in value,
    ...(options.previous ? { previous: options.previous } : {}),
  });
}

/** An imported profile: a new id, secrets encrypted when the file had them, left unset when not. */
export function storedFromExport(
  profile: ExportProfile,
  options: { id: string; now: number; newId: () => string; encrypt: (text: string) => SecretEnvelope },
): StoredProfile {
  checkProxyUrl(profile);
  const resolve = (value: string | undefined): SecretEnvelope | undefined => (value === undefined ? undefined : options.encrypt(value));
  return buildStored(profile, { ...options, secret: resolve, headerSecret: resolve, isNew: (value) => value !== undefined });
}

/** Whether saving `input` encrypts anything (then the cipher must be ready first). */
export function inputHasNewSecret(input: ProfileInput): boolean {
  const isNew = (value: SecretInput | undefined): boolean => value !== undefined && 'value' in value;
  return (
    isNew(input.proxy.password) ||
    isNew(input.tls.passphrase) ||
    input.headers.some((header) => (header.secret ? isNew(header.value) : headerIsSecret(header))) ||
    (input.proxy.url !== undefined && hasUserinfo(input.proxy.url)) ||
    isNew(input.urlPassword) ||
    isNew(input.proxy.pacPassword) ||
    passwordInUrl(input.url) !== undefined ||
    (input.proxy.pac?.kind === 'url' && passwordInUrl(input.proxy.pac.url) !== undefined)
  );
}
