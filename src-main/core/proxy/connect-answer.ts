/**
 * What a complete non-2xx, non-407 answer to CONNECT means, from its status, Squid's
 * `X-Squid-Error` and the `Via`/`Server` headers: the proxy could not reach the server
 * (PROXY_UPSTREAM_UNREACHABLE: 502/503/504, Squid's ERR_CONNECT_FAIL / ERR_DNS_FAIL / …), the
 * address answers HTTP but takes no CONNECT (PROXY_NO_CONNECT: 501/405, a bare 400), or the
 * proxy refused by its rules (PROXY_REFUSED: 403 and the rest). Pure: no sockets, so every
 * combination is unit-tested (test/unit/proxy/proxydiag-connect-answer.test.ts).
 */
import { answer, onScheme, text, type Hint } from '../../shared/hint-parts';
import { formatHostPort } from '../../shared/host-port';
import { ERROR_CATALOG } from '../errors/catalog';
import { headerValues } from '../capture/http-capture';

export interface ConnectAnswerFacts {
  status: number;
  /** The reason phrase as sent ('' when none). */
  statusMessage: string;
  headers: readonly (readonly [string, string])[];
}

export interface ConnectAnswerMeaning {
  code: 'PROXY_REFUSED' | 'PROXY_UPSTREAM_UNREACHABLE' | 'PROXY_NO_CONNECT';
  message: string;
  hint: Hint;
}

/** Squid's `X-Squid-Error: ERR_CONNECT_FAIL 111`: the error page's name and the errno, if any. */
export interface SquidError {
  name: string;
  errno?: number;
}

export function parseSquidError(headers: readonly (readonly [string, string])[]): SquidError | undefined {
  for (const value of headerValues(headers, 'x-squid-error')) {
    const match = /^\s*(ERR_[A-Z0-9_]+)(?:\s+(\d{1,5}))?\s*$/i.exec(value);
    if (!match?.[1]) continue;
    const errno = match[2] === undefined ? undefined : Number(match[2]);
    return { name: match[1].toUpperCase(), ...(errno !== undefined ? { errno } : {}) };
  }
  return undefined;
}

/** How the proxy's own connection to the server failed. */
type UpstreamFailure = 'refused' | 'timed-out' | 'no-route' | 'name-not-found' | 'not-forwarded' | 'unknown';

/**
 * Squid's errno is the proxy host's (Linux numbers: Squid runs there almost always); an
 * unknown number is only quoted.
 */
const ERRNO_FAILURES: ReadonlyMap<number, UpstreamFailure> = new Map([
  [111, 'refused'], // ECONNREFUSED
  [110, 'timed-out'], // ETIMEDOUT
  [113, 'no-route'], // EHOSTUNREACH
  [101, 'no-route'], // ENETUNREACH
]);

function squidUpstreamFailure(error: SquidError): UpstreamFailure | undefined {
  switch (error.name) {
    case 'ERR_CONNECT_FAIL':
      return (error.errno !== undefined ? ERRNO_FAILURES.get(error.errno) : undefined) ?? 'unknown';
    case 'ERR_DNS_FAIL':
      return 'name-not-found';
    case 'ERR_CANNOT_FORWARD':
      return 'not-forwarded';
    case 'ERR_READ_TIMEOUT':
    case 'ERR_LIFETIME_EXP':
      return 'timed-out';
    default:
      return undefined;
  }
}

function statusUpstreamFailure(status: number): UpstreamFailure | undefined {
  if (status === 504) return 'timed-out';
  if (status === 502 || status === 503) return 'unknown';
  return undefined;
}

export function connectAnswerMeaning(facts: ConnectAnswerFacts, target: { host: string; port: number }): ConnectAnswerMeaning {
  const { status, statusMessage, headers } = facts;
  const statusText = `${status}${statusMessage ? ` ${statusMessage}` : ''}`;
  const squid = parseSquidError(headers);
  const via = headerValues(headers, 'via');
  const server = formatHostPort(target.host, target.port);

  // A gateway that inspects TLS says its own handshake failed (McAfee's "500 handshakefailed"):
  // its words decide, whatever the status.
  const gatewayHandshake = via.length > 0 && /handshake/i.test(statusMessage);
  // A Squid error page names its cause: one not about reaching the server (ERR_SHUTTING_DOWN,
  // ERR_FORWARDING_DENIED …) is not read from its status.
  const upstream = gatewayHandshake ? undefined : squid ? squidUpstreamFailure(squid) : statusUpstreamFailure(status);
  if (upstream) return upstreamMeaning(upstream, status, statusText, squid, server, target.host);

  if (!squid && (status === 501 || status === 405 || (status === 400 && via.length === 0))) {
    return noConnectMeaning(status, statusText, headerValues(headers, 'server')[0]);
  }
  return refusalMeaning(status, statusText, statusMessage, squid, headers, via, target.port);
}

function upstreamMeaning(failure: UpstreamFailure, status: number, statusText: string, squid: SquidError | undefined, server: string, host: string): ConnectAnswerMeaning {
  // The title repeats the head, so the app shows only what follows it.
  const head = `The proxy could not reach the server (CONNECT → ${statusText}): ${squid ? `Squid's ${squid.name}${squid.errno !== undefined ? ` ${squid.errno}` : ''}: ` : ''}`;
  const fromProxy = 'The proxy makes this connection itself: the host name and address are as the proxy sees them (127.0.0.1 or localhost is the proxy\'s own machine).';
  switch (failure) {
    case 'refused':
      return {
        code: 'PROXY_UPSTREAM_UNREACHABLE',
        message: `${head}${server} refused the proxy's connection (nothing listens on that port).`,
        hint: `Check that the server at ${server} is running and listening on that port. ${fromProxy}`,
      };
    case 'timed-out':
      return {
        code: 'PROXY_UPSTREAM_UNREACHABLE',
        message: squid ? `${head}the proxy's connection to ${server} timed out.` : `${head}the proxy timed out reaching ${server} (504 is a gateway's timeout).`,
        hint: `Check that the server at ${server} is running and reachable from the proxy: it may be down, or a firewall between the proxy and the server may drop the connection. ${fromProxy}`,
      };
    case 'no-route':
      return {
        code: 'PROXY_UPSTREAM_UNREACHABLE',
        message: `${head}the proxy has no route to ${server}.`,
        hint: `Check the host in the URL and the network between the proxy and the server. ${fromProxy}`,
      };
    case 'name-not-found':
      return {
        code: 'PROXY_UPSTREAM_UNREACHABLE',
        message: `${head}the proxy could not resolve the host name ${host}.`,
        hint: `Check the host name in the URL. It must resolve on the proxy's side: a name known only to this machine (its hosts file, a VPN's DNS) is unknown to the proxy.`,
      };
    case 'not-forwarded':
      return {
        code: 'PROXY_UPSTREAM_UNREACHABLE',
        message: `${head}the proxy found no way to forward the tunnel to ${server}.`,
        hint: `Squid says this when it cannot resolve the host name or has no path to the server (no parent proxy available, or every address failed). Check the host name and port in the URL, and that the server is running. ${fromProxy}`,
      };
    case 'unknown':
      return {
        code: 'PROXY_UPSTREAM_UNREACHABLE',
        message: squid ? `${head}the proxy's connection to ${server} failed${squid.errno !== undefined ? ` (errno ${squid.errno} on the proxy's host)` : ''}.` : `${head}most likely the proxy could not connect to ${server}.`,
        hint: [
          text(`A ${status} to CONNECT usually means the proxy could not reach the server (or is itself overloaded). Read `),
          answer('proxy'),
          text(`, check that the server at ${server} is running, and that its host name is right as the proxy sees it.`),
        ],
      };
  }
}

function noConnectMeaning(status: number, statusText: string, serverHeader: string | undefined): ConnectAnswerMeaning {
  const who = serverHeader && /^[\x20-\x7e]{1,80}$/.test(serverHeader) ? ` (it calls itself "${serverHeader}")` : '';
  const hedge = status === 400 ? 'most likely ' : '';
  return {
    code: 'PROXY_NO_CONNECT',
    message: `The address is not a proxy that accepts CONNECT (CONNECT → ${statusText}): it answers HTTP${who}, but ${hedge}as a web server or a proxy with CONNECT turned off.`,
    hint: 'Check the proxy address and port: this one answers HTTP but does not open tunnels. Proxies usually listen on 3128, 8080 or 8888; use the address your network gives for its proxy.',
  };
}

function refusalMeaning(
  status: number,
  statusText: string,
  statusMessage: string,
  squid: SquidError | undefined,
  headers: readonly (readonly [string, string])[],
  via: readonly string[],
  port: number,
): ConnectAnswerMeaning {
  let message = `The proxy refused the tunnel (CONNECT → ${statusText}).`;
  let hint: Hint = ERROR_CATALOG.PROXY_REFUSED.hint;
  const isSquid = squid !== undefined || headerValues(headers, 'server').some((value) => /squid/i.test(value));
  if (isSquid && status === 403 && port !== 443) {
    // ERR_ACCESS_DENIED is the same page for every http_access rule: the port rule is only the likeliest.
    hint =
      `Most likely stock Squid's rule "http_access deny CONNECT !SSL_ports" refused port ${port} (it allows CONNECT only to its SSL_ports, 443); ` +
      'or another access rule, such as a domain block list, refused this host. ' +
      `If it is the port rule, ask the proxy's administrators to add "acl SSL_ports port ${port}" to squid.conf, or serve the WebSocket on port 443.`;
  } else if (via.length > 0) {
    const gateway = viaGateways(via);
    message = `The proxy refused the tunnel (CONNECT → ${statusText}); the answer came from ${gateway} (Via header).`;
    const from = `This answer came from ${gateway}, a gateway between this machine and the server, not from the server itself. `;
    if (/handshake/i.test(statusMessage)) {
      // The gateway's own words: it inspects TLS and its handshake towards the server failed.
      hint = [
        text(
          from +
            'Gateways that inspect TLS answer like this when their own TLS handshake with the server fails: the gateway rejects the server\'s certificate or TLS version, ' +
            'or the target does not speak TLS at all (a ws:// URL tunnelled through a TLS-inspecting gateway). ' +
            "Ask the gateway's administrators to exempt this host from TLS inspection",
        ),
        onScheme('ws:', ', or try wss:// if the server supports it'),
        text('.'),
      ];
    } else {
      hint = [text(`${from}Read `), answer('proxy'), text(" and ask the gateway's administrators to allow this host and port.")];
    }
  }
  return { code: 'PROXY_REFUSED', message, hint };
}

/** `1.0 10.0.0.1 (McAfee Web Gateway 7.2)` → `10.0.0.1 (McAfee Web Gateway 7.2)`. */
function viaGateways(values: readonly string[]): string {
  return values
    .map((value) => value.trim().replace(/^(?:[A-Za-z]+\/)?\d+(?:\.\d+)?\s+/, ''))
    .filter((value) => value !== '')
    .join(', ');
}
