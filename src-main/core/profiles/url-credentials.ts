/**
 * A password in the server URL or a PAC URL (`ws://bob:hunter2@host/`), on its way into the
 * stored profile: taken out of the URL and encrypted apart, so profiles.json, the view, the
 * list and an export without secrets never hold it. The user name stays in the URL: it is not
 * a secret (like the proxy user name), and the saved password belongs to it — a URL that no
 * longer has a user name drops its saved password.
 */
import { passwordInUrl, usernameInUrl, withoutUrlPassword } from '../../shared/url-password';
import type { SecretEnvelope } from '../secrets/secret-store';
import { FieldError } from './field-error';
import type { StoredProfile } from './profile-schema';
import type { PathSegment } from './zod-problems';

export interface UrlSource<S> {
  url: string;
  /** The password field of the input: keep/clear/replace (a save) or clear text (an import). */
  password: S | undefined;
  /** Where the URL and the password field are, for errors. */
  at: PathSegment[];
  passwordAt: PathSegment[];
}

export interface UrlCredentialOptions<S> {
  encrypt: (text: string) => SecretEnvelope;
  /** Resolves the password field against the stored one (kept, cleared or replaced). */
  secret: (value: S | undefined, previous: SecretEnvelope | undefined, at: PathSegment[]) => SecretEnvelope | undefined;
  /** Whether the field brings a new value (not just "keep" or "clear"). */
  isNew: (value: S | undefined) => boolean;
}

/** The URL to store (without a password) and the encrypted password, if there is one. */
export function urlPasswordFor<S>(
  source: UrlSource<S>,
  previous: { url: string; password?: SecretEnvelope | undefined } | undefined,
  options: UrlCredentialOptions<S>,
): { url: string; password?: SecretEnvelope } {
  const typed = passwordInUrl(source.url);
  if (typed !== undefined) {
    if (usernameInUrl(source.url) === '') {
      throw new FieldError(source.at, 'a password in a URL needs a user name before it (scheme://user:password@host/), or it could not be saved apart from the URL');
    }
    // A password typed into the URL is the newest word on it.
    return { url: withoutUrlPassword(source.url), password: options.encrypt(typed) };
  }
  if (!URL.canParse(source.url.trim()) && hasUserinfo(source.url)) {
    throw new FieldError(source.at, 'this URL has a user name or password but is not a valid URL, so its password could not be stored encrypted');
  }
  if (usernameInUrl(source.url) === '') {
    if (options.isNew(source.password)) {
      throw new FieldError(source.passwordAt, 'a password is only sent with a user name: put the user name into the URL (scheme://user@host/)');
    }
    return { url: source.url };
  }
  const password = options.secret(source.password, previous && previousPassword(previous, options.encrypt), source.passwordAt);
  return password === undefined ? { url: source.url } : { url: source.url, password };
}

/** The stored password, or one still in clear in the stored URL (a file from before it was moved out). */
function previousPassword(previous: { url: string; password?: SecretEnvelope | undefined }, encrypt: (text: string) => SecretEnvelope): SecretEnvelope | undefined {
  if (previous.password !== undefined) return previous.password;
  const clear = passwordInUrl(previous.url);
  return clear === undefined ? undefined : encrypt(clear);
}

/** Whether a stored URL still holds a password in clear (written before passwords were moved out). */
function hasClearPassword(url: string | undefined): boolean {
  return url !== undefined && passwordInUrl(url) !== undefined;
}

function hasUserinfo(url: string): boolean {
  return /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#]*@/.test(url.trim());
}

/** Whether a stored profile still holds a server or PAC URL password in clear. */
export function profileHasClearPassword(profile: StoredProfile): boolean {
  const { pac } = profile.proxy;
  return hasClearPassword(profile.url) || (pac?.kind === 'url' && hasClearPassword(pac.url));
}

/**
 * The profile with passwords still in clear in its URLs moved into the encrypted fields, as a
 * save would do (profiles.json written before they were moved out); the same profile when none.
 */
export function sealClearPasswords(profile: StoredProfile, encrypt: (text: string) => SecretEnvelope): StoredProfile {
  if (!profileHasClearPassword(profile)) return profile;
  const seal = (url: string, stored: SecretEnvelope | undefined): { url: string; password?: SecretEnvelope } => {
    const clear = passwordInUrl(url);
    if (clear === undefined) return stored === undefined ? { url } : { url, password: stored };
    return { url: withoutUrlPassword(url), password: encrypt(clear) };
  };
  const server = seal(profile.url, profile.urlPassword);
  const { urlPassword: _old, ...rest } = profile;
  const { pac, pacPassword: _oldPac, ...proxy } = profile.proxy;
  const sealedPac = pac?.kind === 'url' ? seal(pac.url, profile.proxy.pacPassword) : undefined;
  return {
    ...rest,
    url: server.url,
    ...(server.password !== undefined ? { urlPassword: server.password } : {}),
    proxy: {
      ...proxy,
      ...(sealedPac !== undefined ? { pac: { kind: 'url', url: sealedPac.url } } : pac !== undefined ? { pac } : {}),
      ...(sealedPac?.password !== undefined
        ? { pacPassword: sealedPac.password }
        : profile.proxy.pacPassword !== undefined
          ? { pacPassword: profile.proxy.pacPassword }
          : {}),
    },
  };
}
