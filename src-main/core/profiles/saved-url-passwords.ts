/**
 * The server URL and PAC URL passwords of a saved profile, filled into a changed profile tab's
 * options (see saved-secrets.ts): the form shows `ws://bob@host/` and the engine puts the
 * password back, only to the same server (scheme, host and port) or the same PAC URL, and
 * only for the same user name. Anything else is refused naming both places. "The same" is
 * decided on the endpoints of shared/endpoint-url.ts, as for the other saved secrets: a URL
 * that parser refuses is never the same as anything.
 */
import type { SavedSecretsRequest } from '../../shared/commands';
import { parseEndpointUrl, type EndpointUrlKind } from '../../shared/endpoint-url';
import type { ConnectionOptions } from '../../shared/model';
import { passwordInUrl, withUrlPassword, withoutUrlPassword } from '../../shared/url-password';
import type { SecretEnvelope } from '../secrets/secret-store';
import type { Decrypt } from './profile-connection';
import { ProfileError } from './profile-error';
import type { StoredProfile } from './profile-schema';

/** `filled` with the URL passwords the request asks for put into its URLs (changed in place). */
export function fillSavedUrlPasswords(filled: ConnectionOptions, request: SavedSecretsRequest, profile: StoredProfile, decrypt: Decrypt): void {
  const name = `profile "${profile.name}"`;
  if (request.urlPassword) {
    const path = 'savedSecrets.urlPassword';
    const saved = savedPassword(profile.url, profile.urlPassword, decrypt, 'the server URL password');
    if (saved === undefined) throw refuse(`${name} has no saved password for its server URL`, path);
    const place = endpointOf(profile.url, 'server');
    const target = endpointOf(filled.url, 'server');
    if (place === undefined || target === undefined || place.origin !== target.origin || place.username !== target.username) {
      throw refuse(
        `the saved URL password of ${name} is only sent to ${describe(place, profile.url)}; type it into the URL again to send it to ${describe(target, filled.url)}, or save the profile`,
        path,
      );
    }
    // A password typed into the form's URL is the newest word on it.
    if (passwordInUrl(filled.url) === undefined) filled.url = withUrlPassword(filled.url, saved());
  }

  if (request.pacPassword) {
    const path = 'savedSecrets.pacPassword';
    const { pac } = profile.proxy;
    const savedUrl = pac?.kind === 'url' ? pac.url : undefined;
    const saved = savedUrl === undefined ? undefined : savedPassword(savedUrl, profile.proxy.pacPassword, decrypt, 'the PAC URL password');
    if (savedUrl === undefined || saved === undefined) throw refuse(`${name} has no saved password for a PAC URL`, path);
    const { proxy } = filled;
    const formUrl = proxy.mode === 'pac' && proxy.source.kind === 'url' ? proxy.source.url : undefined;
    const place = endpointOf(savedUrl, 'pac');
    const target = formUrl === undefined ? undefined : endpointOf(formUrl, 'pac');
    if (formUrl === undefined || place === undefined || target === undefined || place.href !== target.href || place.username !== target.username) {
      throw refuse(
        `the saved PAC URL password of ${name} is only sent to ${describe(place, savedUrl)}; type it into the PAC URL again to send it to ${formUrl === undefined ? 'another PAC source' : describe(target, formUrl)}, or save the profile`,
        path,
      );
    }
    if (passwordInUrl(formUrl) === undefined) filled.proxy = { mode: 'pac', source: { kind: 'url', url: withUrlPassword(formUrl, saved()) } };
  }
}

/** The stored password (decrypted only when used), or one still in clear in the stored URL (an older file). */
function savedPassword(url: string, envelope: SecretEnvelope | undefined, decrypt: Decrypt, what: string): (() => string) | undefined {
  if (envelope !== undefined) return () => decrypt(envelope, what);
  const clear = passwordInUrl(url);
  return clear === undefined ? undefined : () => clear;
}

function refuse(message: string, path: string): ProfileError {
  return new ProfileError('INVALID_ARGUMENT', message, path);
}

function endpointOf(text: string, kind: EndpointUrlKind): { origin: string; href: string; username: string } | undefined {
  const parsed = parseEndpointUrl(text, kind);
  return parsed.ok ? { origin: parsed.endpoint.origin, href: parsed.endpoint.href, username: parsed.endpoint.username ?? '' } : undefined;
}

/** `ws://host:80 as user "bob"`, for messages (never with a password). */
function describe(endpoint: { origin: string; href: string; username: string } | undefined, text: string): string {
  if (endpoint === undefined) return `${withoutUrlPassword(text)} (not a URL that can be used)`;
  return `${endpoint.href} ${endpoint.username === '' ? 'with no user name' : `as user "${endpoint.username}"`}`;
}
