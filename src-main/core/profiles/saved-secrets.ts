/**
 * Fills the secrets a changed form left empty from its saved profile, in the engine: a tab
 * opened from a profile and then edited (another path, one more header, a shorter timeout)
 * connects with its changes and the profile's saved password, passphrase and secret headers,
 * which the renderer never holds.
 *
 * Each secret goes only where the profile itself sends it, so no change of the form can send
 * it elsewhere: the proxy password only with the same proxy setting and user name, a secret
 * header only to the same server origin (scheme, host and port) under the same name, the
 * passphrase only for the same key file. Anything else is refused with a message that names
 * the secret and both places; the user can type the secret again, or save the profile.
 *
 * "The same proxy" and "the same origin" are decided on the endpoints of shared/endpoint-url.ts,
 * the parser the connection itself uses: a URL it refuses is never the same as anything, so a
 * URL that two parsers read differently cannot carry a secret to the second reading.
 */
import type { SavedSecretsRequest } from '../../shared/commands';
import { parseEndpointUrl, sameEndpointOrigin, type EndpointUrlKind } from '../../shared/endpoint-url';
import type { ConnectionOptions, PacSource, ProxySetting } from '../../shared/model';
import type { Decrypt } from './profile-connection';
import { fillSavedUrlPasswords } from './saved-url-passwords';
import { ProfileError } from './profile-error';
import { isClearCredentialHeader } from './clear-credential-headers';
import type { StoredProfile } from './profile-schema';

export function withSavedSecrets(options: ConnectionOptions, request: SavedSecretsRequest, profile: StoredProfile, decrypt: Decrypt): ConnectionOptions {
  const filled: ConnectionOptions = { ...options, proxy: { ...options.proxy }, tls: { ...options.tls }, headers: options.headers.map((h) => ({ ...h })) };
  const name = `profile "${profile.name}"`;

  if (request.proxyPassword) {
    const envelope = profile.proxy.password;
    if (!envelope) throw refuse(`${name} has no saved proxy password`, 'savedSecrets.proxyPassword');
    const where = proxyPlace(profile);
    const username = profile.proxy.username ?? '';
    if (!sameProxy(options.proxy, profile) || proxyUsername(filled) !== username) {
      throw refuse(
        `the saved proxy password of ${name} is only sent to ${where} as user "${username}"; type the password again to use it with this proxy setting, or save the profile`,
        'savedSecrets.proxyPassword',
      );
    }
    const password = decrypt(envelope, 'the proxy password');
    if (filled.proxy.mode === 'manual') filled.proxy = { ...filled.proxy, password };
    else filled.proxyAuth = { ...filled.proxyAuth, username, password };
  }

  if (request.passphrase) {
    const envelope = profile.tls.passphrase;
    if (!envelope) throw refuse(`${name} has no saved key passphrase`, 'savedSecrets.passphrase');
    if (filled.tls.keyFile === undefined || filled.tls.keyFile !== profile.tls.keyFile) {
      throw refuse(
        `the saved key passphrase of ${name} is only used for its key file ${profile.tls.keyFile ?? '(none)'}; type it again for ${filled.tls.keyFile ?? 'no key file'}, or save the profile`,
        'savedSecrets.passphrase',
      );
    }
    filled.tls.passphrase = decrypt(envelope, 'the client key passphrase');
  }

  request.headers.forEach(({ index, profileHeaderId }, n) => {
    const path = `savedSecrets.headers.${n}`;
    const header = filled.headers[index];
    const saved = profile.headers.find((h) => h.id === profileHeaderId);
    if (!header) throw refuse(`there is no header ${index + 1} to take a saved value`, path);
    // A credential-like header still in clear (an older file) is a saved secret like the encrypted ones.
    const clear = saved !== undefined && !saved.secret && isClearCredentialHeader(saved) ? saved.value : undefined;
    const envelope = saved?.secret === true ? saved.value : undefined;
    if (!saved || (clear === undefined && envelope === undefined)) throw refuse(`${name} has no saved value for header ${header.name}`, path);
    if (saved.name.toLowerCase() !== header.name.toLowerCase()) {
      throw refuse(`the saved value of header ${saved.name} in ${name} is only sent as ${saved.name}, not as ${header.name}; type the value again, or save the profile`, path);
    }
    const savedOrigin = originOf(profile.url, 'server');
    const target = originOf(filled.url, 'server');
    if (!sameServer(profile.url, filled.url)) {
      throw refuse(
        `the saved value of header ${saved.name} in ${name} is only sent to ${savedOrigin}; type it again to send it to ${target}, or save the profile`,
        path,
      );
    }
    header.value = envelope !== undefined ? decrypt(envelope, `the value of header ${saved.name}`) : (clear ?? '');
    header.secret = true;
  });
  fillSavedUrlPasswords(filled, request, profile, decrypt);
  return filled;
}

function refuse(message: string, path: string): ProfileError {
  return new ProfileError('INVALID_ARGUMENT', message, path);
}

/** The user name the options' proxy credentials use. */
function proxyUsername(options: ConnectionOptions): string {
  if (options.proxy.mode === 'manual' && options.proxy.username !== undefined) return options.proxy.username;
  return options.proxyAuth?.username ?? '';
}

/**
 * The same server as the profile's. A URL with {{variables}} is compared as written up to its
 * path (`wss://{{host}}`): the same text is the same server whichever environment fills it in.
 */
function sameServer(saved: string, typed: string): boolean {
  if (!saved.includes('{{') && !typed.includes('{{')) return sameEndpointOrigin(saved, typed, 'server');
  const origin = (url: string): string => url.trim().replace(/^([^:]*:\/\/[^/?#]*).*$/s, '$1');
  return origin(saved) === origin(typed);
}

/** The same proxy setting as the profile's: mode, and the proxy's origin or the PAC source. */
function sameProxy(proxy: ProxySetting, profile: StoredProfile): boolean {
  const saved = profile.proxy;
  if (proxy.mode !== saved.mode) return false;
  if (proxy.mode === 'manual') return sameEndpointOrigin(proxy.url, saved.url ?? '', 'proxy');
  if (proxy.mode === 'pac') return saved.pac !== undefined && samePacSource(proxy.source, saved.pac);
  return true;
}

/** The same PAC file: an http(s) URL by its normalised location (credentials aside), anything else as written. */
function samePacSource(source: PacSource, saved: PacSource): boolean {
  if (source.kind === 'url' && saved.kind === 'url' && !/^file:/i.test(source.url)) {
    const left = parseEndpointUrl(source.url, 'pac');
    const right = parseEndpointUrl(saved.url, 'pac');
    return left.ok && right.ok && left.endpoint.href === right.endpoint.href;
  }
  return JSON.stringify(source) === JSON.stringify(saved);
}


function proxyPlace(profile: StoredProfile): string {
  const { proxy } = profile;
  if (proxy.mode === 'manual') return `its proxy ${originOf(proxy.url ?? '', 'proxy')}`;
  if (proxy.mode === 'pac') return 'the proxies its PAC file chooses';
  return `the proxy its ${proxy.mode} setting chooses`;
}

/** scheme://host:port with the scheme's default port filled in, for messages; a URL that does not parse is named as such. */
function originOf(text: string, kind: EndpointUrlKind): string {
  const parsed = parseEndpointUrl(text, kind);
  return parsed.ok ? parsed.endpoint.origin : `an invalid ${kind === 'server' ? 'server' : 'proxy'} URL (${parsed.problem})`;
}
