/**
 * The connection options of an intercepted WebSocket's upstream leg, from the client's upgrade
 * request: the URL (where the client was going), the client's own headers except those each
 * side's handshake makes itself (key, version, extensions, hop-by-hop and proxy headers), its
 * subprotocol offers and Origin, and the way out chosen for the intercepting proxy (`--upstream`,
 * the trust settings). Checked by the contract's schema like any `session:open`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { formatHostPort } from '../../shared/host-port';
import { connectionOptionsSchema, type ConnectionOptions, type ConnectionOptionsInput, type Header, type ProxySetting, type TlsSetting } from '../../shared/model';
import type { Timeouts } from '../../shared/timeouts';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';

/**
 * permessage-deflate: `strip` takes it out of the offer (neither side compresses), `keep`
 * negotiates it with each side apart (each side's frames compressed as that side agreed). Either
 * way the relay sees, records and forwards each message uncompressed.
 */
export type DeflateMode = 'strip' | 'keep';

export interface UpstreamChoice {
  proxy: ProxySetting;
  proxyAuth?: { username: string; password: string; domain?: string };
  /** The sign-in scheme and Negotiate's service principal (a profile's; unset: auto). */
  proxyAuthScheme?: ConnectionOptions['proxyAuthScheme'];
  proxyAuthServicePrincipal?: string;
  proxyCaFiles?: string[];
  tls?: Partial<TlsSetting>;
  /** Each upstream leg's deadline (shared/timeouts.ts; unset: the defaults). */
  timeouts?: Timeouts;
  deflate: DeflateMode;
}

/** Where an intercepted request was going: from the CONNECT (or the absolute-form URL). */
export interface InterceptTarget {
  host: string;
  port: number;
  /** The client spoke TLS inside the CONNECT (we terminated it): the upstream is wss://. */
  secure: boolean;
}

/** Made by each side's handshake, or meant for this hop only: never passed on. */
const NOT_PASSED_ON = new Set([
  'host',
  'connection',
  'upgrade',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'content-length',
  'proxy-authorization',
  'proxy-connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'origin',
]);

/**
 * The way-out fields of every upstream leg's options (a captured WebSocket's, a passthrough
 * tunnel's, a plain HTTP request's): one place, so each leg goes out the same way.
 */
export function routeOptionsOf(choice: UpstreamChoice): Pick<ConnectionOptionsInput, 'proxy' | 'proxyAuth' | 'proxyAuthScheme' | 'proxyAuthServicePrincipal' | 'proxyCaFiles' | 'tls' | 'timeouts'> {
  return {
    proxy: choice.proxy,
    ...(choice.proxyAuth ? { proxyAuth: choice.proxyAuth } : {}),
    ...(choice.proxyAuthScheme !== undefined ? { proxyAuthScheme: choice.proxyAuthScheme } : {}),
    ...(choice.proxyAuthServicePrincipal !== undefined ? { proxyAuthServicePrincipal: choice.proxyAuthServicePrincipal } : {}),
    proxyCaFiles: choice.proxyCaFiles ?? [],
    tls: { caFiles: [], insecure: false, ...choice.tls },
    ...(choice.timeouts ? { timeouts: choice.timeouts } : {}),
  };
}

export type UpstreamOptions = { ok: true; options: ConnectionOptions; url: string } | { ok: false; problem: string };

/**
 * `rawHeaders` keeps the client's spelling and order (Node's `headers` lower-cases and joins).
 * `path` is the request target: origin-form (`/chat?x=1`) inside a tunnel, absolute-form
 * (`ws://host/chat`) when the client asked the proxy for a ws:// URL in plain.
 */
export function upstreamOptions(target: InterceptTarget, path: string, rawHeaders: readonly string[], headers: IncomingHttpHeaders, choice: UpstreamChoice): UpstreamOptions {
  const pathAndQuery = originForm(path);
  if (pathAndQuery === undefined) return { ok: false, problem: `the request target "${path.slice(0, 200)}" is not a path` };
  const url = `${target.secure ? 'wss' : 'ws'}://${formatHostPort(target.host, target.port)}${pathAndQuery}`;
  const passed: Header[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (!NOT_PASSED_ON.has(name.toLowerCase())) passed.push({ name, value: rawHeaders[i + 1] ?? '' });
  }
  const offered = headers['sec-websocket-protocol'];
  const subprotocols = offered === undefined ? [] : offered.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const parsed = connectionOptionsSchema.safeParse({
    url,
    ...routeOptionsOf(choice),
    headers: passed,
    subprotocols,
    ...(headers.origin !== undefined ? { origin: headers.origin } : {}),
    compression: choice.deflate === 'keep',
  }, PLAIN_ISSUE_WORDS);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: issue ? `${issue.path.join('.') || 'the request'}: ${issue.message}` : 'the request cannot be relayed' };
  }
  return { ok: true, options: parsed.data, url };
}

/** `/a?b` as it is; `ws://host/a?b` → `/a?b`; anything else undefined. */
function originForm(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  if (!/^(ws|wss|http|https):\/\//i.test(target)) return undefined;
  try {
    const parsed = new URL(target);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return undefined;
  }
}
