/** A stored profile as the renderer sees it: every secret becomes `{ set }`, never its value. */
import type { ProfileView } from '../../shared/profiles';
import type { StoredProfile } from './profile-schema';

export function toProfileView(profile: StoredProfile): ProfileView {
  return {
    ...profile,
    headers: profile.headers.map((header) =>
      header.secret ? { id: header.id, name: header.name, secret: true, value: { set: header.value !== undefined } } : header,
    ),
    proxy: { ...profile.proxy, password: { set: profile.proxy.password !== undefined } },
    tls: { ...profile.tls, passphrase: { set: profile.tls.passphrase !== undefined } },
  };
}
