/**
 * A stored profile → the options a session opens with, secrets decrypted here in the engine
 * (the renderer only ever names the profile). Secret headers stay marked secret, so every
 * capture of the handshake redacts them. The server and PAC URL passwords go back into their
 * URLs here: `ws` sends the server's as `Authorization: Basic` (redacted in every capture),
 * the PAC fetch sends the PAC URL's the same way.
 */
import { connectionOptionsSchema, type ConnectionOptions, type ConnectionOptionsInput, type ProxySetting } from '../../shared/model';
import type { SecretEnvelope } from '../secrets/secret-store';
import { reconnectOptionsOf } from '../../shared/profiles';
import { usernameInUrl, withUrlPassword } from '../../shared/url-password';
import { ProfileError } from './profile-error';
import type { StoredProfile } from './profile-schema';
import { isClearCredentialHeader } from './clear-credential-headers';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';

/** Decrypts one secret; `what` names it for the error ("the proxy password"). */
export type Decrypt = (envelope: SecretEnvelope, what: string) => string;

export function connectionOptionsFor(profile: StoredProfile, decrypt: Decrypt): ConnectionOptions {
  const headers = profile.headers.map((header) => {
    // A credential-like header still in clear (an older file) is sent as secret: masked in events and transcripts.
    if (!header.secret) return isClearCredentialHeader(header) ? { name: header.name, value: header.value, secret: true } : { name: header.name, value: header.value };
    if (header.value === undefined) {
      throw new ProfileError(
        'INVALID_ARGUMENT',
        `the secret header ${header.name} of profile "${profile.name}" has no value (it was imported without secrets): enter it in the profile`,
        'profileId',
      );
    }
    return { name: header.name, value: decrypt(header.value, `the value of header ${header.name}`), secret: true };
  });

  const { proxy, tls } = profile;
  const username = proxy.username !== undefined && proxy.username !== '' ? proxy.username : undefined;
  const password = proxy.password ? decrypt(proxy.password, 'the proxy password') : '';
  const passphrase = tls.passphrase ? decrypt(tls.passphrase, 'the client key passphrase') : undefined;

  const options: ConnectionOptionsInput = {
    url: withSavedPassword(profile.url, profile.urlPassword, decrypt, 'the server URL password'),
    proxy: proxySetting(profile, decrypt),
    proxyCaFiles: proxy.caFiles,
    headers,
    subprotocols: profile.subprotocols,
    tls: {
      caFiles: tls.caFiles,
      insecure: tls.insecure,
      ...(tls.trust !== undefined ? { trust: tls.trust } : {}),
      ...(tls.certFile !== undefined ? { certFile: tls.certFile } : {}),
      ...(tls.keyFile !== undefined ? { keyFile: tls.keyFile } : {}),
      ...(passphrase !== undefined ? { passphrase } : {}),
    },
    handshakeTimeoutMs: profile.handshakeTimeoutMs,
    ...(profile.timeouts !== undefined ? { timeouts: profile.timeouts } : {}),
    ...(profile.history !== undefined ? { history: profile.history } : {}),
    ...(profile.keepalive !== undefined ? { keepalive: profile.keepalive } : {}),
    ...(profile.engineioHeartbeat !== undefined ? { engineioHeartbeat: profile.engineioHeartbeat } : {}),
    ...(profile.mqttKeepalive !== undefined ? { mqttKeepalive: profile.mqttKeepalive } : {}),
    ...(profile.reconnect?.enabled ? { reconnect: reconnectOptionsOf(profile.reconnect) } : {}),
    ...(profile.origin !== undefined ? { origin: profile.origin } : {}),
    ...(username !== undefined ? { proxyAuth: { username, password, ...(proxy.domain !== undefined && proxy.domain !== '' ? { domain: proxy.domain } : {}) } } : {}),
    ...(proxy.auth !== undefined ? { proxyAuthScheme: proxy.auth } : {}),
    ...(proxy.servicePrincipal !== undefined && proxy.servicePrincipal !== '' ? { proxyAuthServicePrincipal: proxy.servicePrincipal } : {}),
  };
  const checked = connectionOptionsSchema.safeParse(options, PLAIN_ISSUE_WORDS);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    throw new ProfileError('INVALID_ARGUMENT', `profile "${profile.name}" cannot be used as it is (${where}${issue?.message ?? 'invalid'})`, 'profileId');
  }
  return checked.data;
}

/** The URL with its saved password put back, when it has one and the URL still names its user. */
function withSavedPassword(url: string, envelope: SecretEnvelope | undefined, decrypt: Decrypt, what: string): string {
  if (envelope === undefined || usernameInUrl(url) === '') return url;
  return withUrlPassword(url, decrypt(envelope, what));
}

function proxySetting(profile: StoredProfile, decrypt: Decrypt): ProxySetting {
  const { proxy } = profile;
  switch (proxy.mode) {
    case 'manual':
      return { mode: 'manual', url: proxy.url ?? '' };
    case 'pac':
      if (!proxy.pac) throw new ProfileError('INVALID_ARGUMENT', `profile "${profile.name}" uses a PAC file but names none`, 'profileId');
      if (proxy.pac.kind === 'url') {
        return { mode: 'pac', source: { kind: 'url', url: withSavedPassword(proxy.pac.url, proxy.pacPassword, decrypt, 'the PAC URL password') } };
      }
      return { mode: 'pac', source: proxy.pac };
    default:
      return { mode: proxy.mode };
  }
}
