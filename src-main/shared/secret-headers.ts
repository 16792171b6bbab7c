/**
 * Which request headers carry credentials, by name: the well-known ones (Authorization,
 * Cookie …) and the ones whose name says so (X-Api-Key, X-Auth-Token, X-Client-Secret …).
 * Shared so that Copy as command, the CLI and the engine agree on what a secret looks like,
 * whether or not the user marked the header secret.
 */

/** Headers whose values are always secret, lower case. */
export const CREDENTIAL_HEADER_NAMES: ReadonlySet<string> = new Set(['proxy-authorization', 'authorization', 'cookie', 'set-cookie']);

/** Words in a header name that say its value is a credential. */
const CREDENTIAL_WORDS = /token|secret|api-?key|password|passwd|credential/i;

/** Whether a header with this name most likely carries a credential (marked secret or not). */
export function looksLikeCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER_NAMES.has(name.toLowerCase()) || CREDENTIAL_WORDS.test(name);
}
