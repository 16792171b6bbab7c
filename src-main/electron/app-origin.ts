/**
 * Which URLs are the app's own: `app://tunnelscope/…` (the packaged UI, served by
 * app-protocol.ts) and, in development only, electron-vite's dev server on loopback. IPC
 * sender checks, navigation guards and permission handlers all ask this one question.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'tunnelscope';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export type AppUrlCheck = (url: string) => boolean;

/**
 * The dev server's origin when `candidate` is an http(s) URL on a loopback host, else null
 * (a dev server elsewhere would hand the bridge to a remote page).
 */
export function devServerOrigin(candidate: string | undefined): string | null {
  if (candidate === undefined || candidate === '') return null;
  const url = parseUrl(candidate);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  if (!LOOPBACK_HOSTS.has(url.hostname) || url.username !== '' || url.password !== '') return null;
  return url.origin;
}

/** A check that accepts the app's own URLs, plus the dev server's origin when one is given. */
export function createAppUrlCheck(devOrigin: string | null): AppUrlCheck {
  return (candidate) => {
    const url = parseUrl(candidate);
    if (url === null) return false;
    // WHATWG URL gives non-special schemes an opaque "null" origin, so compare the parts.
    if (url.protocol === `${APP_SCHEME}:`) {
      // Chromium lower-cases hosts of standard schemes; Node leaves them as written.
      return url.host.toLowerCase() === APP_HOST && url.username === '' && url.password === '';
    }
    return devOrigin !== null && url.origin === devOrigin;
  };
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
