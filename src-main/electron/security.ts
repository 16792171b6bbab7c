/**
 * The guards of Electron's security guide that are not window options: no new windows, no
 * navigation away from the app, no webviews, permissions denied unless listed, and links to
 * the outside opened in the user's browser only after a URL check.
 */
import { shell, type App, type Session, type WebContents } from 'electron';
import type { AppUrlCheck } from './app-origin';

/** The only permission the UI needs: writing sanitized text for "Copy". */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * Whether a URL may be handed to the operating system: http: or https: only (never file:,
 * javascript:, custom schemes that start other programs), with a host, no credentials, no
 * control characters and a sane length.
 */
export function isSafeExternalUrl(candidate: unknown): candidate is string {
  if (typeof candidate !== 'string' || candidate.length > MAX_EXTERNAL_URL_LENGTH) return false;
  if (/[\u0000-\u001f\u007f\s]/.test(candidate)) return false;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.hostname !== '' && url.username === '' && url.password === '';
}

/** Opens the URL in the user's browser if it passes the check; says whether it did. */
export async function openExternalSafely(candidate: unknown): Promise<boolean> {
  if (!isSafeExternalUrl(candidate)) {
    console.warn(`tunnelscope: refused to open ${describeUrl(candidate)} outside the app`);
    return false;
  }
  try {
    await shell.openExternal(candidate);
    return true;
  } catch (error) {
    console.warn(`tunnelscope: could not open ${describeUrl(candidate)}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** Denies every permission except the listed ones, and those only for the app's own pages. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, isAppUrl: AppUrlCheck): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

export function denyPermissionsByDefault(session: Session, isAppUrl: AppUrlCheck): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, isAppUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, isAppUrl),
  );
  // USB, HID, serial and Bluetooth devices: never.
  session.setDevicePermissionHandler(() => false);
}

/** Locks down one web contents: new windows denied, navigation kept inside the app. */
export function hardenWebContents(contents: WebContents, isAppUrl: AppUrlCheck): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links with target=_blank are how the UI points outside: open them in the browser.
    void openExternalSafely(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: { url: string; preventDefault(): void }): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    console.warn(`tunnelscope: blocked navigation to ${describeUrl(event.url)}`);
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies hardenWebContents to every web contents the app ever creates. */
export function hardenAllWebContents(app: App, isAppUrl: AppUrlCheck): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, isAppUrl);
  });
}

/** A URL as it may appear in a log line: scheme and host only, capped. */
function describeUrl(candidate: unknown): string {
  if (typeof candidate !== 'string') return `a ${typeof candidate}`;
  try {
    const url = new URL(candidate);
    return JSON.stringify(`${url.protocol}//${url.host}`.slice(0, 200));
  } catch {
    return 'an unparsable URL';
  }
}
