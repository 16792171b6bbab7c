/**
 * Serves the built renderer (out/renderer) read-only: GET/HEAD only, no path outside the
 * folder (`..`, encoded slashes, symlinks out), a MIME type per extension, and the security
 * headers every answer carries.
 */
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { isPathInside } from '../host/path-inside';
import { mimeTypeFor, uiContentSecurityPolicy } from '../host/ui-files';

/** The page's policy (see ui-files.ts), with the web host's own WebSocket origin to talk to (wss: over TLS). */
function contentSecurityPolicy(hostHeader: string, scheme: 'http' | 'https' = 'http'): string {
  return uiContentSecurityPolicy([`${scheme === 'https' ? 'wss' : 'ws'}://${hostHeader}`]);
}

/** Headers on every answer, pages and refusals alike. */
function baseHeaders(): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export function sendText(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  response.writeHead(status, {
    ...baseHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Content-Security-Policy': "default-src 'none'",
    'Cache-Control': 'no-store',
    ...extra,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

export type FileLookup = { ok: true; file: string } | { ok: false; status: number; reason: string };

/**
 * Maps a raw request path (no query) to a file inside `root`. The path is checked before and
 * after decoding so `..`, `%2e%2e` and `..%2f` are all refused, not normalised away.
 */
export async function lookupFile(root: string, rawPath: string): Promise<FileLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'Bad request: the path is not valid percent-encoding.' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return { ok: false, status: 400, reason: 'Bad request: invalid path.' };
  }
  if (decoded.split('/').some((segment) => segment === '..') || rawPath.split('/').some((s) => s === '..')) {
    return { ok: false, status: 403, reason: 'Refused: path traversal.' };
  }
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const candidate = path.resolve(root, `.${relative}`);
  if (!isPathInside(root, candidate)) return { ok: false, status: 403, reason: 'Refused: path traversal.' };
  try {
    // A symlink inside the folder must not lead out of it.
    const [realRoot, real] = await Promise.all([fs.realpath(root), fs.realpath(candidate)]);
    if (!isPathInside(realRoot, real)) return { ok: false, status: 403, reason: 'Refused: path traversal.' };
    const stat = await fs.stat(real);
    if (!stat.isFile()) return { ok: false, status: 404, reason: 'Not found.' };
    return { ok: true, file: real };
  } catch {
    return { ok: false, status: 404, reason: 'Not found.' };
  }
}

export interface SendFileOptions {
  scheme?: 'http' | 'https';
  /** More headers (the token cookie on the page that came with `?token=`). */
  extraHeaders?: Record<string, string>;
}

export async function sendFile(response: ServerResponse, file: string, hostHeader: string, options: SendFileOptions = {}): Promise<void> {
  const body = await fs.readFile(file);
  const ext = path.extname(file).toLowerCase();
  const isHtml = ext === '.html';
  // Hashed bundle names never change content; the page itself must always be fresh.
  const hashed = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(path.basename(file));
  response.writeHead(200, {
    ...baseHeaders(),
    'Content-Type': mimeTypeFor(file),
    'Content-Length': String(body.length),
    'Content-Security-Policy': contentSecurityPolicy(hostHeader, options.scheme),
    'Cache-Control': isHtml ? 'no-store' : hashed ? 'private, max-age=31536000, immutable' : 'no-cache',
    ...options.extraHeaders,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
