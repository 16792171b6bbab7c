/**
 * Parses a proxy URL as people write it (in a profile, on the command line, in HTTPS_PROXY):
 * `http://`, `https://`, `socks5://` (also `socks5h://` and `socks://`, both SOCKS5 here),
 * or a bare `host:port` meaning http. Credentials in the URL are percent-decoded and kept on
 * the endpoint only; `displayUrl` and every error message are free of them.
 *
 * The rules are those of shared/endpoint-url.ts, the one parser for every URL that decides
 * where a secret goes: the check that keeps a saved proxy password on its own proxy reads the
 * URL with the same code as the connection does, so the two can never disagree.
 */
import { parseEndpointUrl } from '../../shared/endpoint-url';
import { NetFailure } from '../errors/net-failure';
import type { ProxyEndpoint } from './proxy-endpoint';

const PROTOCOLS: readonly ProxyEndpoint['protocol'][] = ['http', 'https', 'socks5'];

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
  const parsed = parseEndpointUrl(input, 'proxy');
  if (!parsed.ok) return parsed;
  const { scheme, host, port, origin, username, password } = parsed.endpoint;
  const protocol = PROTOCOLS.find((known) => known === scheme);
  if (protocol === undefined) return { ok: false, problem: `${scheme}:// is not a proxy scheme` };
  const endpoint: ProxyEndpoint = { protocol, host, port, displayUrl: origin };
  if (username !== undefined) {
    endpoint.username = username;
    endpoint.password = password ?? '';
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
