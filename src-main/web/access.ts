/**
 * Who may talk to the web host: the access token (query once, then an HttpOnly cookie), the
 * `Host` header (against DNS rebinding: a hostile page on evil.example that re-points its
 * name at 127.0.0.1 still sends `Host: evil.example`) and, for the WebSocket, the `Origin`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import { bracketHost, formatHostPort } from '../shared/host-port';
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
    allowed.add(formatHostPort(host, port).toLowerCase());
    // Browsers leave out the default port.
    if (port === 80) allowed.add(bracketHost(host).toLowerCase());
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

/**
 * The Host check, shared by pages and the WebSocket. The refusal does not list the Host values
 * that would pass: those are the machine's interface addresses, and the client is not (yet)
 * known to be anyone who should learn them.
 */
export function checkHost(headers: IncomingHttpHeaders, policy: AccessPolicy): AccessDecision | undefined {
  const host = headers.host;
  if (host === undefined || !policy.allowedHosts.has(host.toLowerCase())) {
    const shown = host === undefined ? 'none' : `"${host.slice(0, 100)}"`;
    return {
      ok: false,
      status: 421,
      reason: `Refused: this Tunnelscope web host does not answer to the Host header ${shown}; open the exact URL it printed when it started. This guards against DNS rebinding.`,
    };
  }
  return undefined;
}

/**
 * The token check: `?token=` (the page then takes it out of the address bar) or the cookie.
 * Every cookie of our name is tried: a page on another 127.0.0.1 port can set cookies for
 * this one too (cookies ignore ports), and a cookie it plants with a longer Path comes first
 * in the header; taking only the first would let it lock the UI out (cookie tossing).
 */
export function checkToken(headers: IncomingHttpHeaders, query: URLSearchParams, policy: AccessPolicy): AccessDecision {
  const fromQuery = query.get('token');
  if (fromQuery !== null) {
    return tokensMatch(fromQuery, policy.token)
      ? { ok: true, tokenFromQuery: true }
      : { ok: false, status: 403, reason: 'Refused: wrong access token. Open the exact URL the web host printed when it started.' };
  }
  const fromCookies = readCookies(headers.cookie, policy.cookieName);
  if (fromCookies.length === 0) {
    return {
      ok: false,
      status: 401,
      reason: 'Refused: no access token. Open the URL the web host printed when it started (it ends with ?token=…).',
    };
  }
  // Compare every one (no early exit), so the answer's timing does not tell which one matched.
  const matches = fromCookies.map((value) => tokensMatch(value, policy.token));
  return matches.includes(true)
    ? { ok: true, tokenFromQuery: false }
    : {
        ok: false,
        status: 403,
        reason: 'Refused: the access token is out of date (the web host was restarted). Open the new URL it printed.',
      };
}

/** The WebSocket must come from a page this server served: Origin = its scheme + its Host. */
export function checkOrigin(headers: IncomingHttpHeaders, scheme: 'http' | 'https' = 'http'): AccessDecision | undefined {
  const origin = headers.origin;
  const expected = `${scheme}://${headers.host ?? ''}`.toLowerCase();
  if (origin === undefined || origin.toLowerCase() !== expected) {
    const shown = origin === undefined ? 'none' : `"${origin.slice(0, 100)}"`;
    return { ok: false, status: 403, reason: `Refused: WebSocket from another origin (${shown}; expected ${expected}).` };
  }
  return undefined;
}

/**
 * Every value of the cookie `name` in a Cookie header, in order. No cap: a cap would let a
 * page plant that many wrong ones first; Node's header size limit (16 KiB) bounds the work.
 */
export function readCookies(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/**
 * The cookie that carries the token to the assets and the WebSocket once the page has loaded
 * (`Secure` over TLS, so it never goes out over plain HTTP).
 */
export function tokenCookie(name: string, token: string, secure = false): string {
  return `${name}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
