/**
 * The options "Copy as command" works from: the form's, with a stand-in wherever a profile tab
 * keeps a saved secret (the renderer never has its value). copyAsCommand never prints a secret
 * value; it only needs to know there is one, so the command gets a placeholder and a note for
 * it instead of silently leaving it out.
 */
import type { CopyOptions } from '../../../src-main/shared/copy-as-command';
import { passwordInUrl, usernameInUrl, withUrlPassword } from '../../../src-main/shared/url-password';
import { draftToOptions, sentHeaders, type ConnectionDraft } from '../connection-form/connection-draft';

/** Stands for a kept secret; never shown (copyAsCommand shows placeholders instead). */
export const KEPT_SECRET_STAND_IN = 'kept secret';

export function copyCommandOptions(draft: ConnectionDraft): CopyOptions {
  const options = withPlainByChoice(draft, draftToOptions(draft));
  const kept = draft.keptSecrets;
  if (!kept) return options;
  let result = options;
  if (kept.proxyPassword && draft.proxyPassword === '') {
    const proxy = result.proxy;
    if (proxy?.mode === 'manual') result = { ...result, proxy: { ...proxy, password: KEPT_SECRET_STAND_IN } };
    else if (result.proxyAuth) result = { ...result, proxyAuth: { ...result.proxyAuth, password: KEPT_SECRET_STAND_IN } };
  }
  if (kept.passphrase && draft.passphrase === '') result = { ...result, tls: { ...result.tls, passphrase: KEPT_SECRET_STAND_IN } };
  // A kept URL password goes with the URL's user name, as when connecting (savedSecretsRequest).
  if (kept.urlPassword === true && keepsPassword(result.url)) result = { ...result, url: withUrlPassword(result.url, KEPT_SECRET_STAND_IN) };
  const proxy = result.proxy;
  if (kept.pacPassword === true && proxy?.mode === 'pac' && proxy.source.kind === 'url' && keepsPassword(proxy.source.url)) {
    result = { ...result, proxy: { ...proxy, source: { kind: 'url', url: withUrlPassword(proxy.source.url, KEPT_SECRET_STAND_IN) } } };
  }
  return result;
}

/** A URL with a user name and no password of its own: the profile's saved one would be used. */
function keepsPassword(url: string): boolean {
  return usernameInUrl(url) !== '' && passwordInUrl(url) === undefined;
}

/** The profile's "not secret" choices go with the headers (draftToOptions sends the named rows, in order). */
function withPlainByChoice(draft: ConnectionDraft, options: CopyOptions): CopyOptions {
  const rows = sentHeaders(draft);
  const headers = options.headers?.map((header, index) => (rows[index]?.plainByChoice === true ? { ...header, plainByChoice: true } : header));
  return headers !== undefined ? { ...options, headers } : options;
}
