/**
 * Who may talk to the web host: the access token (query once, then an HttpOnly cookie), the
 * `Host` header (against DNS rebinding: a hostile page on evil.example that re-points its
 * name at 127.0.0.1 still sends `Host: evil.example`) and, for the WebSocket, the `Origin`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { isLoopback } from './args';

export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison (hashing first makes the lengths equal, so length leaks nothing). */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** `host:port` as it appears in a Host header (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The Host header values this server answers to: the address it is bound to (and the name it
 * was given), `localhost` when bound to loopback, and every local interface address when
 * bound to all interfaces (0.0.0.0 or ::), since any of them reaches it.
 */
export function allowedHostHeaders(boundAddress: string, port: number, requestedHost: string): Set<string> {
  const hosts = new Set<string>([boundAddress, requestedHost]);
  if (isLoopback(boundAddress)) hosts.add('localhost');
  if (boundAddress === '0.0.0.0' || boundAddress === '::') {
    hosts.add('localhost');
    for (const entries of Object.values(os.networkInterfaces())) {
      for (const entry of entries ?? []) hosts.add(entry.address);
    }
  }
  const allowed = new Set<string>();
  for (const host of hosts) {
    if (host === '0.0.0.0' || host === '::') continue;
    allowed.add(hostPort(host, port).toLowerCase());
    // Browsers leave out the default port.
    if (port === 80) allowed.add((net.isIPv6(host) ? `[${host}]` : host).toLowerCase());
  }
  return allowed;
}

export type AccessDecision =
  | { ok: true; tokenFromQuery: boolean }
  | { ok: false; status: number; reason: string };

export interface AccessPolicy {
  token: string;
  cookieName: string;
  allowedHosts: ReadonlySet<string>;
}

/** The Host check, shared by pages and the WebSocket. */
export function checkHost(headers: IncomingHttpHeaders, policy: AccessPolicy): AccessDecision | undefined {
  const host = headers.host;
  if (host === undefined || !policy.allowedHosts.has(host.toLowerCase())) {
    const shown = host === undefined ? 'none' : `"${host.slice(0, 100)}"`;
    return {
      ok: false,
      status: 421,
      reason: `Refused: this Tunnelscope web host answers only to ${[...policy.allowedHosts].join(', ')} (Host header: ${shown}). This guards against DNS rebinding.`,
    };
  }
  return undefined;
}

/** The token check: `?token=` (which the server then moves into a cookie) or the cookie. */
export function checkToken(headers: IncomingHttpHeaders, query: URLSearchParams, policy: AccessPolicy): AccessDecision {
  const fromQuery = query.get('token');
  if (fromQuery !== null) {
    return tokensMatch(fromQuery, policy.token)
      ? { ok: true, tokenFromQuery: true }
      : { ok: false, status: 403, reason: 'Refused: wrong access token. Open the exact URL the web host printed when it started.' };
  }
  const fromCookie = readCookie(headers.cookie, policy.cookieName);
  if (fromCookie === undefined) {
    return {
      ok: false,
      status: 401,
      reason: 'Refused: no access token. Open the URL the web host printed when it started (it ends with ?token=…).',
    };
  }
  return tokensMatch(fromCookie, policy.token)
    ? { ok: true, tokenFromQuery: false }
    : {
        ok: false,
        status: 403,
        reason: 'Refused: the access token is out of date (the web host was restarted). Open the new URL it printed.',
      };
}

/** The WebSocket must come from a page this server served: Origin = http:// + its Host. */
export function checkOrigin(headers: IncomingHttpHeaders): AccessDecision | undefined {
  const origin = headers.origin;
  const expected = `http://${headers.host ?? ''}`.toLowerCase();
  if (origin === undefined || origin.toLowerCase() !== expected) {
    const shown = origin === undefined ? 'none' : `"${origin.slice(0, 100)}"`;
    return { ok: false, status: 403, reason: `Refused: WebSocket from another origin (${shown}; expected ${expected}).` };
  }
  return undefined;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The cookie that carries the token to the assets and the WebSocket once the page has loaded. */
export function tokenCookie(name: string, token: string): string {
  return `${name}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
