/** A stored profile as the renderer sees it: every secret becomes `{ set }`, never its value. */
import type { ProfileView } from '../../shared/profiles';
import { passwordInUrl, withoutUrlPassword } from '../../shared/url-password';
import { isClearCredentialHeader } from './clear-credential-headers';
import type { StoredProfile } from './profile-schema';

export function toProfileView(profile: StoredProfile): ProfileView {
  const { pac } = profile.proxy;
  const pacUrl = pac?.kind === 'url' ? pac.url : undefined;
  return {
    ...profile,
    // A password still in clear in a URL (a file written before they were moved out) counts as set, and is not shown.
    url: withoutUrlPassword(profile.url),
    urlPassword: { set: profile.urlPassword !== undefined || passwordInUrl(profile.url) !== undefined },
    // A credential-like header still in clear (an older file) is secret too: set, and not shown.
    headers: profile.headers.map((header) =>
      header.secret || isClearCredentialHeader(header) ? { id: header.id, name: header.name, secret: true, value: { set: header.secret ? header.value !== undefined : true } } : header,
    ),
    proxy: {
      ...profile.proxy,
      ...(pacUrl !== undefined ? { pac: { kind: 'url' as const, url: withoutUrlPassword(pacUrl) } } : {}),
      password: { set: profile.proxy.password !== undefined },
      pacPassword: { set: profile.proxy.pacPassword !== undefined || (pacUrl !== undefined && passwordInUrl(pacUrl) !== undefined) },
    },
    tls: { ...profile.tls, passphrase: { set: profile.tls.passphrase !== undefined } },
  };
}
