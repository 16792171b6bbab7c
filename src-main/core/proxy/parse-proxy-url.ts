/**
 * Parses a proxy URL as people write it (in a profile, on the command line, in HTTPS_PROXY):
 * `http://`, `https://`, `socks5://` (also `socks5h://` and `socks://`, both SOCKS5 here),
 * or a bare `host:port` meaning http. Credentials in the URL are percent-decoded and kept on
 * the endpoint only; `displayUrl` and every error message are free of them.
 *
 * The authority is split by hand rather than by `new URL()` because WHATWG URL treats
 * `socks5:` as a non-special scheme (opaque host, no normalisation) and drops a port that
 * equals the scheme's default, which would turn `socks5://h:80` into port 1080.
 */
import { NetFailure } from '../errors/net-failure';
import { formatHostPort } from '../net/tcp-connect';
import type { ProxyEndpoint } from './proxy-endpoint';

const SCHEMES: Record<string, ProxyEndpoint['protocol']> = {
  http: 'http',
  https: 'https',
  socks5: 'socks5',
  socks5h: 'socks5',
  socks: 'socks5',
};

const DEFAULT_PORTS: Record<ProxyEndpoint['protocol'], number> = { http: 80, https: 443, socks5: 1080 };

/** Longest proxy URL accepted: anything longer is a mistake (or an attack), not a proxy. */
const MAX_LENGTH = 2048;

export type ProxyUrlParse = { ok: true; endpoint: ProxyEndpoint } | { ok: false; problem: string };

/**
 * Parses `input` and throws NetFailure('resolve', 'PROXY_URL_INVALID') with a message that
 * names `label` (e.g. "HTTPS_PROXY", "The proxy URL") and says what was wrong.
 */
export function parseProxyUrl(input: string, label = 'The proxy URL'): ProxyEndpoint {
  const result = tryParseProxyUrl(input);
  if (result.ok) return result.endpoint;
  throw NetFailure.of(
    'resolve',
    'PROXY_URL_INVALID',
    {},
    { message: `${label} (${quoteRedacted(input)}) is not a valid proxy URL: ${result.problem}.` },
  );
}

/** Same rules as parseProxyUrl, as a value (never throws). */
export function tryParseProxyUrl(input: string): ProxyUrlParse {
  if (typeof input !== 'string') return fail('it is not text');
  const text = input.trim();
  if (text === '') return fail('it is empty');
  if (text.length > MAX_LENGTH) return fail(`it is longer than ${MAX_LENGTH} characters`);
  if (/[\u0000-\u0020\u007f]/.test(text)) return fail('it contains a space or a control character');

  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  let protocol: ProxyEndpoint['protocol'];
  let rest: string;
  if (schemeMatch?.[1] !== undefined) {
    const scheme = schemeMatch[1].toLowerCase();
    const mapped = Object.hasOwn(SCHEMES, scheme) ? SCHEMES[scheme] : undefined;
    if (mapped === undefined) {
      return fail(`${scheme}:// is not a proxy scheme Tunnelscope supports (use http://, https:// or socks5://)`);
    }
    protocol = mapped;
    rest = text.slice(schemeMatch[0].length);
  } else if (text.includes('://')) {
    return fail('the scheme before :// is not valid');
  } else {
    protocol = 'http'; // bare host:port, as curl reads it
    rest = text;
  }

  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  // A trailing slash is common in HTTPS_PROXY values and means nothing; anything more does.
  if (tail !== '' && tail !== '/') {
    return fail(`a proxy URL has no path, query or fragment (found "${truncate(tail)}")`);
  }

  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? undefined : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);

  const credentials = userinfo === undefined ? { ok: true as const } : decodeUserinfo(userinfo);
  if (!credentials.ok) return fail(credentials.problem);

  const split = splitHostPort(hostPort);
  if (!split.ok) return fail(split.problem);
  const host = normaliseHost(split.host, split.bracketed);
  if (!host.ok) return fail(host.problem);

  const port = split.port === undefined ? DEFAULT_PORTS[protocol] : parsePort(split.port);
  if (typeof port === 'string') return fail(port);

  const endpoint: ProxyEndpoint = {
    protocol,
    host: host.value,
    port,
    displayUrl: `${protocol}://${formatHostPort(host.value, port)}`,
  };
  if (credentials.username !== undefined) {
    endpoint.username = credentials.username;
    endpoint.password = credentials.password ?? '';
  }
  return { ok: true, endpoint };
}

/** The input with any `user:password@` replaced, safe to put in a message. */
export function redactProxyUrlText(input: string): string {
  // Everything between the scheme (or the start) and the last @ before the path is userinfo.
  return input.replace(/^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?)([^/?#]*)@/, (_all, scheme: string) => `${scheme}***@`);
}

function quoteRedacted(input: unknown): string {
  if (typeof input !== 'string') return `a ${typeof input}`;
  const shown = truncate(redactProxyUrlText(input.trim()));
  // JSON quoting makes control characters visible instead of mangling the message.
  return JSON.stringify(shown);
}

function truncate(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function fail(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}

type Userinfo = { ok: true; username?: string; password?: string } | { ok: false; problem: string };

function decodeUserinfo(userinfo: string): Userinfo {
  const colon = userinfo.indexOf(':');
  const rawUser = colon === -1 ? userinfo : userinfo.slice(0, colon);
  const rawPassword = colon === -1 ? undefined : userinfo.slice(colon + 1);
  let username: string;
  let password: string | undefined;
  try {
    username = decodeURIComponent(rawUser);
    password = rawPassword === undefined ? undefined : decodeURIComponent(rawPassword);
  } catch {
    return { ok: false, problem: 'the user name or password has a bad %-escape (write @ as %40 and : as %3A)' };
  }
  if (username === '' && (password === undefined || password === '')) return { ok: true };
  if (username === '') return { ok: false, problem: 'it has a password but no user name' };
  return { ok: true, username, password: password ?? '' };
}

type HostPort = { ok: true; host: string; bracketed: boolean; port?: string } | { ok: false; problem: string };

function splitHostPort(hostPort: string): HostPort {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) return { ok: false, problem: 'an IPv6 address is missing its closing ]' };
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return { ok: false, problem: 'unexpected text after the IPv6 address' };
    return {
      ok: true,
      host: hostPort.slice(1, close),
      bracketed: true,
      ...(after === '' ? {} : { port: after.slice(1) }),
    };
  }
  const colons = hostPort.split(':').length - 1;
  if (colons > 1) return { ok: false, problem: 'an IPv6 address must be written in brackets, e.g. [::1]:3128' };
  if (colons === 0) return { ok: true, host: hostPort, bracketed: false };
  const colon = hostPort.indexOf(':');
  return { ok: true, host: hostPort.slice(0, colon), bracketed: false, port: hostPort.slice(colon + 1) };
}

function parsePort(text: string): number | string {
  if (text === '') return 'the port after ":" is empty';
  if (!/^\d{1,5}$/.test(text)) return `the port must be a number from 1 to 65535, not "${truncate(text, 20)}"`;
  const port = Number(text);
  if (port < 1 || port > 65535) return `the port must be a number from 1 to 65535, not ${port}`;
  return port;
}

/** Lower-cases, IDNA-encodes and validates the host with WHATWG's rules for http URLs. */
function normaliseHost(host: string, bracketed: boolean): { ok: true; value: string } | { ok: false; problem: string } {
  if (host === '') return { ok: false, problem: 'it has no host' };
  // WHATWG reads a backslash as a slash in http URLs, which would silently cut the host short.
  if (host.includes('\\')) return { ok: false, problem: 'the host contains a backslash' };
  let hostname: string;
  try {
    hostname = new URL(`http://${bracketed ? `[${host}]` : host}/`).hostname;
  } catch {
    return { ok: false, problem: `"${truncate(host, 80)}" is not a valid host name or IP address` };
  }
  if (hostname === '') return { ok: false, problem: 'it has no host' };
  // URL keeps the brackets of an IPv6 hostname; sockets want the bare address.
  const value = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return { ok: true, value };
}
