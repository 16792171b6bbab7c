/**
 * Which request headers carry credentials, by name: the well-known ones (Authorization,
 * Cookie …) and the ones whose name says so (X-Api-Key, X-Auth-Token, X-Client-Secret …).
 * Shared so that Copy as command, the CLI, the profile editor, the profile store and its
 * exports agree on what a secret looks like, whether or not the user marked the header secret.
 */

/** Headers whose values are always secret, lower case. */
export const CREDENTIAL_HEADER_NAMES: ReadonlySet<string> = new Set(['proxy-authorization', 'authorization', 'cookie', 'set-cookie', 'x-auth']);

/**
 * Words in a header name that say its value is a credential: token, secret, password,
 * credential, cookie, authorization / authentication, and the keys that are credentials (api
 * key, access key, auth key, subscription key …; not any "key": Sec-WebSocket-Key and
 * Idempotency-Key are not secrets). Not a bare "auth" part: the frame decoders use this list
 * too, and `auth` there names an object (`{"auth": {"token": …}}`) whose credential is inside.
 */
const CREDENTIAL_WORDS =
  /token|secret|passw(or)?d|passphrase|credential|cookie|authori[sz]ation|authentication|(api|access|auth|client|private|secret|signing|subscription)[-_]?key/i;

/** Whether a header with this name most likely carries a credential (marked secret or not). */
export function looksLikeCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER_NAMES.has(name.toLowerCase()) || CREDENTIAL_WORDS.test(name);
}

/**
 * A profile header's secrecy, one rule for the store, the exports, `profiles show` and the
 * editor: secret when marked so, or when its name looks like a credential, unless the user
 * unticked "secret" for it (`plainByChoice`).
 */
export function headerIsSecret(header: { name: string; secret: boolean; plainByChoice?: boolean | undefined }): boolean {
  return header.secret || (header.plainByChoice !== true && looksLikeCredentialHeader(header.name));
}
