/**
 * Headers of profiles.json still in clear though their name looks like a credential
 * (`X-Api-Token` saved with "secret" unticked before the editor ticked it by itself, and never
 * unticked on purpose: no `plainByChoice`). They count as secret everywhere (the view, exports,
 * connections) and are encrypted by the next save that can open the secret store, like the
 * URL passwords of url-credentials.ts.
 */
import { headerIsSecret } from '../../shared/secret-headers';
import type { SecretEnvelope } from '../secrets/secret-store';
import type { StoredProfile } from './profile-schema';

type StoredHeader = StoredProfile['headers'][number];

/** A header stored in clear that counts as secret. */
export function isClearCredentialHeader(header: StoredHeader): boolean {
  return !header.secret && headerIsSecret(header);
}

export function profileHasClearCredentialHeader(profile: StoredProfile): boolean {
  return profile.headers.some(isClearCredentialHeader);
}

/** The profile with those headers marked secret and encrypted; the same profile when it has none. */
export function sealClearCredentialHeaders(profile: StoredProfile, encrypt: (text: string) => SecretEnvelope): StoredProfile {
  if (!profileHasClearCredentialHeader(profile)) return profile;
  return {
    ...profile,
    headers: profile.headers.map((header) => (!header.secret && isClearCredentialHeader(header) ? { id: header.id, name: header.name, secret: true, value: encrypt(header.value) } : header)),
  };
}
