/**
 * Serves the built renderer (out/renderer) on `app://tunnelscope/` instead of `file://`, so
 * the page has a real origin of its own, and sends the Content-Security-Policy with the HTML.
 * Nothing outside the renderer folder is ever served.
 */
import { protocol } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isPathInside } from '../host/path-inside';
import { mimeTypeFor, uiContentSecurityPolicy } from '../host/ui-files';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** The UI's policy (see ui-files.ts): no connections beyond its own origin, as the UI talks to the engine over IPC. */
export const CONTENT_SECURITY_POLICY = uiContentSecurityPolicy();

export { mimeTypeFor };

/**
 * Must run before the app is ready: makes `app:` a standard, secure scheme (so it has an
 * origin, `'self'` in the CSP matches it, and fetch works on it). Not `corsEnabled`: the
 * UI loads only same-origin files, and that privilege would let other origins read them.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Installs the handler on the default session (after ready). */
export function serveAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererRoot));
}

/** The request handler, separate from Electron so it can be tested with plain Requests. */
export function createAppRequestHandler(rendererRoot: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererRoot);
  let realRoot: Promise<string> | undefined;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    }
    const target = fileForUrl(root, request.url);
    if (target.kind === 'refused') return plain(target.status, target.why);
    try {
      // A symbolic link inside the folder must not lead outside it either.
      realRoot ??= realpath(root);
      const real = await realpath(target.file);
      if (!isPathInside(await realRoot, real)) return plain(403, 'Forbidden');
      const info = await stat(real);
      if (!info.isFile()) return plain(404, 'Not Found');
      const headers: Record<string, string> = {
        'Content-Type': mimeTypeFor(real),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      };
      if (path.extname(real).toLowerCase() === '.html') headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(real));
      return new Response(body, { status: 200, headers });
    } catch {
      // Missing file, unreadable file or a broken link: the same answer, no details.
      return plain(404, 'Not Found');
    }
  };
}

type FileTarget = { kind: 'file'; file: string } | { kind: 'refused'; status: number; why: string };

/** Maps `app://tunnelscope/a/b.js` to `<root>/a/b.js`, refusing anything that leaves root. */
function fileForUrl(root: string, requestUrl: string): FileTarget {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'refused', status: 400, why: 'Bad Request' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return { kind: 'refused', status: 404, why: 'Not Found' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'refused', status: 400, why: 'Bad Request' };
  }
  if (pathname.includes('\0')) return { kind: 'refused', status: 400, why: 'Bad Request' };
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^[/\\]+/, '');
  const file = path.resolve(root, relative);
  if (!isPathInside(root, file)) return { kind: 'refused', status: 403, why: 'Forbidden' };
  return { kind: 'file', file };
}

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...extra },
  });
}
