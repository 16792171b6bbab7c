/**
 * The first module main.ts imports, so it runs before any other: the web host's URL carries
 * the access token (`?token=…`). The host sent the page with the token as an HttpOnly cookie,
 * so the page itself needs it no more: history.replaceState takes it out of the address bar
 * and out of this tab's history entry before any other script could read `location` (an error
 * report, a link copied, a bookmark). This module imports nothing: an import would run first.
 * A file, not an inline script: the Content-Security-Policy allows no inline script.
 */

export interface AddressWindow {
  location: { href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | URL | null): void };
}

/** The address (path, other parameters, fragment) without its `token` parameter; undefined when it has none. */
export function addressWithoutToken(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (!url.searchParams.has('token')) return undefined;
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Rewrites the current history entry without the token; whether there was one. */
export function forgetAccessToken(win: AddressWindow): boolean {
  const address = addressWithoutToken(win.location.href);
  if (address === undefined) return false;
  win.history.replaceState(win.history.state, '', address);
  return true;
}

forgetAccessToken(window);
