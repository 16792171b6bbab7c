/**
 * Parses a PAC answer ("PROXY a:3128; HTTPS b:443; SOCKS5 c:1080; DIRECT") into the routes
 * to try, in order. Pure and total: it never throws, so both our PAC evaluation and the
 * Electron host (for Chromium's resolveProxy answer) can wrap a problem in their own code.
 *
 * Rules, as browsers read the answer:
 * - entries are separated by `;`; empty entries and extra spaces are ignored; types are
 *   case-insensitive;
 * - an empty answer means DIRECT;
 * - PROXY and HTTP mean an http:// proxy, HTTPS an https:// proxy, SOCKS5 and SOCKS a SOCKS5
 *   proxy (browsers read bare SOCKS as SOCKS4, which we do not speak: we try it as SOCKS5 and
 *   say so); a missing port is the type's default (80, 443, 1080);
 * - entry types we do not support (SOCKS4, QUIC, anything else that looks like a type) are
 *   skipped with a note; if nothing usable is left, that is a problem, not a silent DIRECT;
 * - anything else (a type with the wrong arguments, a host that is not a host, text that is
 *   not an entry at all) is a problem naming the entry.
 */
import type { ProxyEndpoint, Route } from './proxy-endpoint';
import { tryParseProxyUrl } from './parse-proxy-url';

export type PacAnswerParse =
  | { ok: true; routes: Route[]; notes: string[] }
  | { ok: false; problem: string };

/** Answers longer than this are not proxy lists (a script returning its own source, say). */
const MAX_ANSWER_LENGTH = 16 * 1024;
const MAX_ENTRIES = 64;

const PROXY_TYPES: Record<string, ProxyEndpoint['protocol']> = {
  PROXY: 'http',
  HTTP: 'http',
  HTTPS: 'https',
  SOCKS5: 'socks5',
  SOCKS: 'socks5',
};

const UNSUPPORTED_TYPES: Record<string, string> = {
  SOCKS4: 'SOCKS4 is not supported',
  QUIC: 'QUIC proxies are not supported',
};

export function parsePacAnswer(answer: unknown): PacAnswerParse {
  if (typeof answer !== 'string') return { ok: false, problem: `the answer is ${describeValue(answer)}, not a string` };
  if (answer.length > MAX_ANSWER_LENGTH) {
    return { ok: false, problem: `the answer is ${answer.length} characters long, more than a proxy list can be` };
  }
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(answer)) {
    return { ok: false, problem: 'the answer contains control characters' };
  }
  const entries = answer
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) {
    return { ok: true, routes: [{ kind: 'direct' }], notes: ['an empty answer means DIRECT'] };
  }
  if (entries.length > MAX_ENTRIES) {
    return { ok: false, problem: `the answer has ${entries.length} entries, more than ${MAX_ENTRIES}` };
  }

  const routes: Route[] = [];
  const notes: string[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (parsed.kind === 'problem') return { ok: false, problem: parsed.problem };
    if (parsed.kind === 'skip') {
      skipped.push(`${quotePacAnswer(entry)} (${parsed.why})`);
      continue;
    }
    if (parsed.note !== undefined) notes.push(parsed.note);
    routes.push(parsed.route);
  }
  if (skipped.length > 0) notes.push(`skipped ${skipped.join(', ')}`);
  if (routes.length === 0) return { ok: false, problem: `the answer has no entry Tunnelscope can use: ${notes.join('; ')}` };
  return { ok: true, routes, notes };
}

/**
 * The answer as it can be shown in a reason or an error: trimmed, capped, and with anything
 * that looks like `user:password@` masked (a PAC answer never carries credentials, so such a
 * thing is a mistake we must not echo).
 */
export function quotePacAnswer(answer: string, max = 300): string {
  const masked = answer.trim().replace(/[^\s;@]+@/g, '***@');
  const capped = masked.length > max ? `${masked.slice(0, max)}…` : masked;
  return JSON.stringify(capped);
}

type Entry =
  | { kind: 'route'; route: Route; note?: string }
  | { kind: 'skip'; why: string }
  | { kind: 'problem'; problem: string };

function parseEntry(entry: string): Entry {
  const words = entry.split(/\s+/);
  const typeWord = words[0] ?? '';
  const args = words.slice(1);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(typeWord)) {
    return { kind: 'problem', problem: `${quotePacAnswer(entry)} is not a PAC entry (expected e.g. "PROXY host:port" or "DIRECT")` };
  }
  const type = typeWord.toUpperCase();
  if (type === 'DIRECT') {
    if (args.length > 0) return { kind: 'problem', problem: `${quotePacAnswer(entry)}: DIRECT takes no host` };
    return { kind: 'route', route: { kind: 'direct' } };
  }
  const protocol = Object.hasOwn(PROXY_TYPES, type) ? PROXY_TYPES[type] : undefined;
  if (protocol === undefined) {
    const why = Object.hasOwn(UNSUPPORTED_TYPES, type) ? UNSUPPORTED_TYPES[type] : undefined;
    return { kind: 'skip', why: why ?? `unknown entry type ${type}` };
  }
  if (args.length !== 1 || args[0] === undefined) {
    return { kind: 'problem', problem: `${quotePacAnswer(entry)}: ${type} needs exactly one host:port` };
  }
  const hostPort = args[0];
  if (/[@/?#]/.test(hostPort)) {
    return { kind: 'problem', problem: `${quotePacAnswer(entry)}: a PAC entry is host:port, without a scheme, path or credentials` };
  }
  const parsed = tryParseProxyUrl(`${protocol}://${hostPort}`);
  if (!parsed.ok) return { kind: 'problem', problem: `${quotePacAnswer(entry)}: ${parsed.problem}` };
  const note = type === 'SOCKS' ? `SOCKS ${parsed.endpoint.displayUrl.slice('socks5://'.length)} is tried as SOCKS5` : undefined;
  return { kind: 'route', route: { kind: 'proxy', proxy: parsed.endpoint }, ...(note === undefined ? {} : { note }) };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'undefined') return 'undefined';
  return type === 'object' ? 'an object' : `a ${type}`;
}
