/**
 * The one parser for every URL that decides where a secret goes: a proxy URL (the proxy
 * password), the server URL (secret headers go to its origin) and a PAC URL (its credentials,
 * and which proxies get the proxy password). The secret-scoping checks and the connecting
 * code both use it and compare its normalised endpoints, so they can never disagree.
 *
 * Strict on purpose: an input that two parsers could read differently is REFUSED, never
 * "fixed". That covers backslashes (WHATWG reads `\` as `/` in http and ws URLs, other
 * parsers do not), tabs, line breaks and other control characters anywhere (WHATWG silently
 * drops tabs and newlines), more than one `@` before the host, %-escapes in the host (WHATWG
 * decodes them), IPv6 zone ids (WHATWG refuses them, sockets accept them), a host name with a
 * trailing dot (`proxy.` and `proxy` can be different hosts once the resolver's search list
 * applies), and any host that WHATWG reads differently from a plain split of the authority
 * (`127.1`, `0x7f.0.0.1`, full-width digits). What is left is normalised: the scheme lower-
 * cased, the host lower-cased and IDNA-encoded (IPv6 without brackets), the port 1–65535 with
 * the scheme's default filled in, the user name and password split out and %-decoded once.
 *
 * Runs in Node and in the renderer (it needs only the global URL), so forms check with the
 * same rules as the engine.
 */
import { formatHostPort } from './host-port';

export type EndpointUrlKind = 'proxy' | 'server' | 'pac';

export interface EndpointUrl {
  kind: EndpointUrlKind;
  /** Lower-cased; for a proxy `socks5h` and `socks` read as `socks5`. */
  scheme: string;
  /** Lower-cased and IDNA-encoded; an IPv6 address without its brackets. */
  host: string;
  /** 1–65535, the scheme's default when the URL has none. */
  port: number;
  /** `host:port`, an IPv6 address in brackets. */
  authority: string;
  /** `scheme://host:port`, always with the port: what "the same place" is compared by. */
  origin: string;
  /** Path and query as sent (`/` when there is none; a proxy URL never has more). The fragment is dropped. */
  pathAndQuery: string;
  /** `origin` + `pathAndQuery`: the whole URL without credentials or fragment. */
  href: string;
  /** Present when the URL has a user name; %-decoded once. */
  username?: string;
  /** Present (maybe empty) whenever `username` is. */
  password?: string;
}

export type EndpointUrlParse = { ok: true; endpoint: EndpointUrl } | { ok: false; problem: string };

interface KindRules {
  /** How messages name the URL: "a backslash is not allowed in a proxy URL". */
  noun: string;
  /** Scheme as written (lower-cased) → scheme as used. */
  schemes: Record<string, string>;
  defaultPorts: Record<string, number>;
  /** The problem with a scheme this kind does not take. */
  wrongScheme: (written: string) => string;
  /** The problem with text that has no scheme at all. */
  noScheme: string;
  /** A bare `host:port` (no scheme) reads as http://, as curl reads a proxy. */
  bareHostPort: boolean;
  /** A path, query or fragment is allowed (else only a lone trailing `/`). */
  path: boolean;
  maxLength: number;
}

const RULES: Record<EndpointUrlKind, KindRules> = {
  proxy: {
    noun: 'proxy URL',
    schemes: { http: 'http', https: 'https', socks5: 'socks5', socks5h: 'socks5', socks: 'socks5' },
    defaultPorts: { http: 80, https: 443, socks5: 1080 },
    wrongScheme: (written) => `${written}:// is not a proxy scheme Tunnelscope supports (use http://, https:// or socks5://)`,
    noScheme: 'it has no scheme (use http://, https:// or socks5://)',
    bareHostPort: true,
    path: false,
    maxLength: 2048,
  },
  server: {
    noun: 'server URL',
    schemes: { ws: 'ws', wss: 'wss' },
    defaultPorts: { ws: 80, wss: 443 },
    wrongScheme: (written) => `the URL must start with ws:// or wss://, not ${written}://`,
    noScheme: 'it is not a URL (expected ws://host[:port]/path or wss://host[:port]/path)',
    bareHostPort: false,
    path: true,
    maxLength: 8192,
  },
  pac: {
    noun: 'PAC URL',
    schemes: { http: 'http', https: 'https' },
    defaultPorts: { http: 80, https: 443 },
    // file: URLs name a local file, no place a secret goes: the PAC loader reads them apart.
    wrongScheme: (written) => `a PAC URL must start with http://, https:// or file://, not ${written}://`,
    noScheme: 'it is not a URL (expected http://, https:// or file://)',
    bareHostPort: false,
    path: true,
    maxLength: 8192,
  },
};

/** Scheme names that, written without `//`, mean a mistake rather than a host called "http". */
const KNOWN_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'socks', 'socks5', 'socks5h', 'file']);

/** Parses `input` as a URL of `kind`; never throws, whatever `input` is. */
export function parseEndpointUrl(input: unknown, kind: EndpointUrlKind): EndpointUrlParse {
  const rules = RULES[kind];
  if (typeof input !== 'string') return fail('it is not text');
  // Only plain spaces around the URL are forgiven; every other character counts.
  const text = input.replace(/^ +| +$/g, '');
  if (text === '') return fail('it is empty');
  if (text.length > rules.maxLength) return fail(`it is longer than ${rules.maxLength} characters`);
  const character = forbiddenCharacter(text, rules.noun);
  if (character !== undefined) return fail(character);

  const scheme = splitScheme(text, rules);
  if (!scheme.ok) return scheme;
  const { rest } = scheme;
  // After the scheme, so that "not a url" is named as not a URL.
  if (text.includes(' ')) return fail(`a space is not allowed in a ${rules.noun} (write it as %20)`);

  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  // A trailing slash is common in HTTPS_PROXY values and means nothing; anything more does.
  if (!rules.path && tail !== '' && tail !== '/') return fail(`a ${rules.noun} has no path, query or fragment`);

  const ats = authority.split('@').length - 1;
  if (ats > 1) return fail('it has more than one @ before the host, so the host could be read two ways (write an @ in the user name or password as %40)');
  const at = authority.indexOf('@');
  const credentials = at === -1 ? { ok: true as const } : decodeUserinfo(authority.slice(0, at));
  if (!credentials.ok) return credentials;

  const split = splitHostPort(at === -1 ? authority : authority.slice(at + 1));
  if (!split.ok) return split;
  const host = normaliseHost(split.host, split.bracketed);
  if (!host.ok) return host;
  const port = split.port === undefined ? rules.defaultPorts[scheme.used] : parsePort(split.port);
  if (port === undefined) return fail('the scheme has no default port');
  if (typeof port === 'string') return fail(port);

  const authorityText = formatHostPort(host.value, port);
  const whatwg = crossCheck(scheme, { host: host.value, port, explicitPort: split.port !== undefined, credentials });
  if (!whatwg.ok) return whatwg;

  const origin = `${scheme.used}://${authorityText}`;
  const pathAndQuery = rules.path ? whatwg.pathAndQuery : '/';
  const endpoint: EndpointUrl = { kind, scheme: scheme.used, host: host.value, port, authority: authorityText, origin, pathAndQuery, href: `${origin}${pathAndQuery}` };
  if (credentials.username !== undefined) {
    endpoint.username = credentials.username;
    endpoint.password = credentials.password ?? '';
  }
  return { ok: true, endpoint };
}

/** The problem with `input` as a URL of `kind`, or undefined when it is fine (for zod refinements and forms). */
export function endpointUrlProblem(input: unknown, kind: EndpointUrlKind): string | undefined {
  const result = parseEndpointUrl(input, kind);
  return result.ok ? undefined : result.problem;
}

/** Whether two URLs of `kind` name the same place (scheme, host and port); false when either is not valid. */
export function sameEndpointOrigin(a: string, b: string, kind: EndpointUrlKind): boolean {
  const left = parseEndpointUrl(a, kind);
  const right = parseEndpointUrl(b, kind);
  return left.ok && right.ok && left.endpoint.origin === right.endpoint.origin;
}

// ---------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------

function fail(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}

function forbiddenCharacter(text: string, noun: string): string | undefined {
  if (text.includes('\\')) return `a backslash is not allowed in a ${noun}`;
  if (text.includes('\t')) return `a tab is not allowed in a ${noun}`;
  if (/[\r\n]/.test(text)) return `a line break is not allowed in a ${noun}`;
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(text)?.[0];
  if (control !== undefined) {
    const code = control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `a control character (U+${code}) is not allowed in a ${noun}`;
  }
  return undefined;
}

type SchemeSplit = { ok: true; written: string; used: string; rest: string } | { ok: false; problem: string };

function splitScheme(text: string, rules: KindRules): SchemeSplit {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  const written = match?.[1]?.toLowerCase();
  if (match !== null && written !== undefined) {
    const used = Object.hasOwn(rules.schemes, written) ? rules.schemes[written] : undefined;
    if (used === undefined) return fail(rules.wrongScheme(written));
    const rest = text.slice(match[0].length);
    if (rest.startsWith('/')) return fail(`${written}: must be followed by exactly two slashes and the host`);
    return { ok: true, written, used, rest };
  }
  if (text.includes('://')) return fail('the scheme before :// is not valid');
  const bare = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (bare !== undefined && KNOWN_SCHEMES.has(bare)) return fail(`${bare}: must be followed by two slashes and the host (${bare}://host)`);
  if (!rules.bareHostPort) return fail(rules.noScheme);
  return { ok: true, written: 'http', used: 'http', rest: text }; // bare host:port, as curl reads it
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
    return fail('the user name or password has a bad %-escape (write % as %25, @ as %40 and : as %3A)');
  }
  if (username === '' && (password === undefined || password === '')) return { ok: true };
  if (username === '') return fail('it has a password but no user name');
  return { ok: true, username, password: password ?? '' };
}

type HostPort = { ok: true; host: string; bracketed: boolean; port?: string } | { ok: false; problem: string };

function splitHostPort(hostPort: string): HostPort {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) return fail('an IPv6 address is missing its closing ]');
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return fail('unexpected text after the IPv6 address');
    return { ok: true, host: hostPort.slice(1, close), bracketed: true, ...(after === '' ? {} : { port: after.slice(1) }) };
  }
  if (hostPort.includes(']')) return fail('a ] without its [');
  const colons = hostPort.split(':').length - 1;
  if (colons > 1) return fail('an IPv6 address must be written in brackets, e.g. [::1]:3128');
  if (colons === 0) return { ok: true, host: hostPort, bracketed: false };
  const colon = hostPort.indexOf(':');
  return { ok: true, host: hostPort.slice(0, colon), bracketed: false, port: hostPort.slice(colon + 1) };
}

function parsePort(text: string): number | string {
  if (text === '') return 'the port after ":" is empty';
  // The text is not quoted: when a password holds a "/" its tail can land here.
  if (!/^\d{1,5}$/.test(text)) return 'the port is not a number from 1 to 65535';
  const port = Number(text);
  if (port === 0) return 'port 0 is not a port (the port must be a number from 1 to 65535)';
  if (port > 65535) return `port ${port} is out of range (the port must be a number from 1 to 65535)`;
  return port;
}

type Host = { ok: true; value: string } | { ok: false; problem: string };

function normaliseHost(host: string, bracketed: boolean): Host {
  if (host === '') return fail('it has no host');
  if (bracketed) return normaliseIpv6(host);
  if (host.includes('%')) return fail('a %-escape is not allowed in the host (write the host name as it is)');
  if (host.endsWith('.')) {
    return fail(`a host name ending in a dot is not allowed (write ${JSON.stringify(truncate(host.replace(/\.+$/, ''), 80))})`);
  }
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return fail(`${JSON.stringify(truncate(host, 80))} is not a valid host name or IP address`);
  }
  if (hostname === '') return fail('it has no host');
  if (hostname.startsWith('[')) return fail('an IPv6 address must be written in brackets, e.g. [::1]:3128');
  if (!sameHostAsWritten(host.toLowerCase(), hostname)) {
    return fail(`the host ${JSON.stringify(truncate(host, 80))} reads as ${hostname} to some programs and as written to others; write ${hostname}`);
  }
  return { ok: true, value: hostname };
}

function normaliseIpv6(address: string): Host {
  const percent = address.indexOf('%');
  if (percent !== -1) {
    const zone = address.slice(percent + 1).replace(/^25/, '');
    return fail(
      zone === ''
        ? 'the IPv6 address ends in % with an empty zone id'
        : `the IPv6 zone id ${JSON.stringify(truncate(zone, 40))} is not supported (use the address without %zone, a global address, or a host name)`,
    );
  }
  let hostname: string;
  try {
    hostname = new URL(`http://[${address}]/`).hostname;
  } catch {
    return fail(`[${truncate(address, 80)}] is not a valid IPv6 address`);
  }
  return { ok: true, value: hostname.slice(1, -1) };
}

/**
 * Whether WHATWG's reading of a host is the plain one: equal once lower-cased, label by label,
 * except where a non-ASCII label became its `xn--` form (IDNA, which every browser does).
 * Anything else (IPv4 shorthands, full-width digits, other dots) is a second reading.
 */
function sameHostAsWritten(written: string, whatwg: string): boolean {
  if (written === whatwg) return true;
  const plain = written.split('.');
  const read = whatwg.split('.');
  if (plain.length !== read.length) return false;
  return plain.every((label, n) => {
    const other = read[n] ?? '';
    if (label === other) return true;
    return /[^\x00-\x7f]/.test(label) && other.startsWith('xn--');
  });
}

type CrossCheck = { ok: true; pathAndQuery: string } | { ok: false; problem: string };

/**
 * Reads the URL again with WHATWG URL and refuses it unless host, port and credentials agree:
 * the rules above should make them agree always, and this says so should one be missing.
 */
function crossCheck(
  scheme: { used: string; rest: string },
  ours: { host: string; port: number; explicitPort: boolean; credentials: { username?: string; password?: string } },
): CrossCheck {
  // socks5 is not a special scheme to WHATWG (opaque host); http has the same authority rules.
  const special = scheme.used === 'ws' || scheme.used === 'wss' || scheme.used === 'https' ? scheme.used : 'http';
  let url: URL;
  try {
    url = new URL(`${special}://${scheme.rest}`);
  } catch {
    return fail('it is not a valid URL');
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const defaults: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };
  const port = url.port === '' ? defaults[url.protocol] : Number(url.port);
  const decode = (part: string): string | undefined => {
    try {
      return decodeURIComponent(part);
    } catch {
      return undefined;
    }
  };
  const agrees =
    host === ours.host &&
    (!ours.explicitPort || port === ours.port) &&
    decode(url.username) === (ours.credentials.username ?? '') &&
    decode(url.password) === (ours.credentials.password ?? '');
  if (!agrees) return fail('it reads as two different places to different URL parsers; write it plainly');
  return { ok: true, pathAndQuery: `${url.pathname || '/'}${url.search}` };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
