/**
 * Which failures another attempt cannot change, in words (reconnect-policy.ts stops on them).
 * Every attempt of a reconnecting connection uses the options it opened with: the same proxy,
 * credentials, headers, token, URL and trust settings. So a refusal of those by a peer's rules,
 * or a certificate check that failed on the peer's certificate, comes back on every attempt; a
 * loop of them only repeats the refusal (and, for a rejected password, can lock the account).
 * What time or the peer's state can change is retried: refused, reset or timed-out connections,
 * 5xx, 404/408/425/429, a SOCKS proxy that cannot reach the server.
 */
import type { NetError } from '../../shared/errors';

/** A status line's code and the line after the version ("403 Forbidden"), from `HTTP/1.1 403 Forbidden`. */
function statusOf(startLine: string | undefined): { status: number; words: string } | undefined {
  const answer = /^HTTP\/\d(?:\.\d)?\s+((\d{3})\b.*)$/.exec(startLine ?? '');
  if (!answer?.[2]) return undefined;
  return { status: Number(answer[2]), words: answer[1]?.trim() ?? answer[2] };
}

/**
 * 4xx answers to CONNECT that time can change: the target not found (yet), the proxy's request
 * timeout, too early, too many requests. Every other 4xx is the proxy's rule for this CONNECT.
 */
const PASSING_PROXY_REFUSALS = new Set([404, 408, 425, 429]);

/**
 * 4xx answers to the WebSocket upgrade that time or the server's state can change:
 * 404 (a route missing during a deploy, a backend not registered yet behind its load balancer),
 * 408 (the server's request timeout), 409 (a conflict such as "this client id is still
 * connected", gone once the old connection times out), 425 (too early), 429 (too many requests;
 * its Retry-After passes). Every other 4xx answers the request itself, which every attempt sends
 * alike: 401 and 403 its credentials, token, cookies or Origin; 400, 405, 426 (another
 * Sec-WebSocket-Version), 431 and the like its form; 410 a resource gone for good.
 * 5xx (503 with Retry-After included) is the server's trouble, and retried.
 */
const PASSING_UPGRADE_REFUSALS = new Set([404, 408, 409, 425, 429]);

/** What the user can change for an upgrade refused with this status (the line says it). */
function upgradeRemedy(status: number): string {
  if (status === 401) return 'change the credentials, the Authorization header or the token';
  if (status === 403) return 'change the credentials, token, cookies or Origin it refuses';
  if (status === 407) return 'give the proxy credentials it asks for';
  return 'change the URL or the headers it refuses';
}

/**
 * SOCKS5 replies (RFC 1928 §6) that are the proxy's rule or ability, not the server's state:
 * 0x02 connection not allowed by ruleset, 0x07 command not supported, 0x08 address type not
 * supported. 0x01 general failure, 0x03 network and 0x04 host unreachable, 0x05 connection
 * refused and 0x06 TTL expired are about the way to the server at that moment: retried.
 */
const UNCHANGING_SOCKS_REPLIES = new Set([0x02, 0x07, 0x08]);

/** The reply code of a SOCKS refusal's capture (`SOCKS5 02 connection not allowed by ruleset`); undefined without one. */
function socksReply(startLine: string | undefined): { code: number; words: string } | undefined {
  const reply = /^SOCKS5 ([0-9a-f]{2}) (.*)$/.exec(startLine ?? '');
  if (!reply?.[1]) return undefined;
  return { code: Number.parseInt(reply[1], 16), words: reply[2] ?? '' };
}

/**
 * The handshake failed because the peer requires a client certificate and this connection gives
 * none: TLS 1.3's certificate_required alert (116), or what classify-tls-error.ts told apart and
 * pointed at the client-certificate setting (a handshake_failure or a close after the peer's
 * CertificateRequest, an alert about the certificate with none given). A bare handshake_failure
 * with no CertificateRequest seen stays retried (no cipher in common, or a server restarting).
 */
function clientCertificateRequired(error: NetError): boolean {
  if (error.details.cause === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') return true;
  return error.hintParts?.some((part) => part.kind === 'setting' && part.setting === 'tls.clientCert') === true;
}

/** "the server's" or "the https:// proxy's", for the certificate lines. */
function certificateOf(error: NetError): string {
  return error.stage === 'proxy-tls' ? "the https:// proxy's certificate" : "the server's certificate";
}

/**
 * Why another attempt would fail the same way, or undefined when it may fare otherwise.
 *
 * Certificates: an attempt gets the same certificate from the same peer, checked against the same
 * trust settings, so untrusted (self-signed, unknown CA), for another host name, and expired
 * (renewing it takes its owners, not a retry) come back. Not yet valid is retried: time is what
 * makes it valid (a clock behind, corrected by NTP; a certificate issued moments ago).
 * A handshake failure is retried: it may be the server restarting, not its configuration; but
 * not one where the server asked for a client certificate and got none (clientCertificateRequired).
 */
export function unchangingFailure(error: NetError | undefined): string | undefined {
  switch (error?.code) {
    case 'PROXY_AUTH_FAILED':
      return 'the proxy rejected the credentials, and sending them again would be rejected again (and may lock the account)';
    case 'PROXY_AUTH_REQUIRED':
      return 'the proxy asks for a sign-in that this connection has no credentials for';
    case 'PROXY_AUTH_UNSUPPORTED':
      return "the proxy's sign-in cannot be given with these settings";
    case 'PROXY_REFUSED': {
      const answer = statusOf(error.details.proxyResponse?.startLine);
      if (!answer || answer.status < 400 || answer.status > 499 || PASSING_PROXY_REFUSALS.has(answer.status)) return undefined;
      return `the proxy refuses this CONNECT by its rules (${answer.words}), and another attempt would get the same answer`;
    }
    case 'PROXY_NO_CONNECT':
      // A web server (or a proxy with CONNECT off) at the proxy's address answers the same way every time.
      return 'this address is not a proxy that accepts CONNECT, and another attempt would get the same answer: check the proxy address and port';
    case 'UPGRADE_REJECTED': {
      const answer = statusOf(error.details.upgradeResponse?.startLine);
      if (!answer || answer.status < 400 || answer.status > 499 || PASSING_UPGRADE_REFUSALS.has(answer.status)) return undefined;
      return `the server refused the WebSocket upgrade (${answer.words}) and would answer the same request so again: ${upgradeRemedy(answer.status)}`;
    }
    case 'SOCKS_AUTH_FAILED':
      return 'the SOCKS proxy refused the sign-in, and another attempt would give the same (or no) credentials: change them in the proxy settings';
    case 'SOCKS_REFUSED': {
      // Without a reply the request never went out (a host name longer than SOCKS5 allows).
      const reply = socksReply(error.details.proxyResponse?.startLine);
      if (reply && !UNCHANGING_SOCKS_REPLIES.has(reply.code)) return undefined;
      const what = reply ? `reply ${reply.code}: ${reply.words}` : 'the request cannot be made';
      return `the SOCKS proxy refuses this connection by its rules (${what}), and another attempt would get the same answer`;
    }
    case 'TLS_UNTRUSTED_CERT':
    case 'PROXY_TLS_UNTRUSTED_CERT':
      return `${certificateOf(error)} is not trusted (self-signed or an unknown CA) and retrying will not change it: add its CA as a CA file, or connect without verification`;
    case 'TLS_HOSTNAME_MISMATCH':
    case 'PROXY_TLS_HOSTNAME_MISMATCH':
      return `${certificateOf(error)} is for another host name and retrying will not change it: connect with a name it lists`;
    case 'TLS_CERT_EXPIRED':
    case 'PROXY_TLS_CERT_EXPIRED':
      return `${certificateOf(error)} has expired and retrying will not change it: its owners must renew it`;
    case 'TLS_HANDSHAKE_FAILED':
    case 'PROXY_TLS_HANDSHAKE_FAILED':
      if (!clientCertificateRequired(error)) return undefined;
      return `${error.stage === 'proxy-tls' ? 'the https:// proxy' : 'the server'} requires a client certificate and this connection gives none, nor would another attempt: set a client certificate and its key (PEM files) in the TLS settings (the CLI's --cert and --key)`;
    case 'TLS_CLIENT_CERT_INVALID':
      return 'the client certificate cannot be used, and another attempt would use the same one: change it in the TLS settings';
    default:
      return undefined;
  }
}
