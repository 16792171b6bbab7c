/**
 * The password in a URL's userinfo (`ws://bob:hunter2@host/`, `http://bob:hunter2@pac/x.pac`):
 * read it, take it out, put it back. A saved profile keeps the user name in the URL (it is
 * not a secret, like the proxy user name) and the password apart, encrypted; every output
 * shows the URL without it. No Node imports: the renderer uses this too.
 */

/** The URL's password, percent-decoded as `ws` and fetch decode it; undefined for none or an unparsable URL. */
export function passwordInUrl(text: string): string | undefined {
  const url = parse(text);
  if (url === undefined || url.password === '') return undefined;
  return decodeLeniently(url.password);
}

/** The URL's user name as written (percent-encoded); '' for none or an unparsable URL. */
export function usernameInUrl(text: string): string {
  return parse(text)?.username ?? '';
}

/** `ws://bob:hunter2@host/` → `ws://bob@host/`; a URL without a password (or not a URL) is returned as it is. */
export function withoutUrlPassword(text: string): string {
  const url = parse(text);
  if (url === undefined || url.password === '') return text;
  url.password = '';
  return url.href;
}

/** `ws://bob@host/` + `hunter2` → `ws://bob:hunter2@host/`, the password percent-encoded whole. */
export function withUrlPassword(text: string, password: string): string {
  // A URL with {{variables}} is put together as written: re-serialising it would %-encode its braces.
  const templated = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@:]+)@/.exec(text.trim());
  if (text.includes('{{') && templated) return `${templated[1]}${templated[2]}:${encodeURIComponent(password)}@${text.trim().slice(templated[0].length)}`;
  const url = parse(text);
  if (url === undefined) return text;
  // encodeURIComponent also encodes '%', so the password comes back exactly when decoded.
  url.password = encodeURIComponent(password);
  return url.href;
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text.trim());
  } catch {
    return undefined;
  }
}

/** A malformed escape (`%zz`) is kept as written, as `ws` (querystring.unescape) does. */
function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
