/**
 * The one error type the user sees. `stage` says which leg failed and is decided by *where*
 * the failure happened (never by matching message text); `code` is stable and documented.
 */
import { z } from 'zod';
import { certSummarySchema, httpCaptureSchema } from './model';
import { hintPartSchema } from './hint-parts';
import { DEADLINE_NAMES } from './timeouts';

export const ERROR_STAGES = [
  'resolve', // choosing the proxy (PAC download/evaluation, bad proxy URL, system resolver)
  'proxy-connect', // TCP (or SOCKS) connection to the proxy
  'proxy-tls', // TLS to an https:// proxy
  'tunnel', // the CONNECT exchange (or SOCKS request) with the proxy
  'connect', // TCP connection straight to the server (no proxy)
  'tls', // TLS with the server inside the tunnel
  'upgrade', // the HTTP upgrade to WebSocket
  'protocol', // a WebSocket protocol violation after open
  'transport', // the connection broke after open
] as const;
export type ErrorStage = (typeof ERROR_STAGES)[number];

export const ERROR_CODES = [
  // resolve
  'PROXY_URL_INVALID',
  'PAC_FETCH_FAILED',
  'PAC_INVALID',
  'PAC_EVALUATION_FAILED',
  'SYSTEM_PROXY_FAILED',
  // proxy-connect
  'PROXY_DNS_FAILED',
  'PROXY_CONNECTION_REFUSED',
  'PROXY_UNREACHABLE',
  'PROXY_CONNECTION_RESET',
  'PROXY_TIMEOUT',
  // proxy-tls
  'PROXY_TLS_UNTRUSTED_CERT',
  'PROXY_TLS_HOSTNAME_MISMATCH',
  'PROXY_TLS_CERT_EXPIRED',
  'PROXY_TLS_CERT_NOT_YET_VALID',
  'PROXY_TLS_HANDSHAKE_FAILED',
  // tunnel
  'PROXY_AUTH_REQUIRED',
  'PROXY_AUTH_FAILED',
  'PROXY_AUTH_UNSUPPORTED',
  'PROXY_AUTH_CONNECTION_CLOSED', // NTLM/Negotiate: the proxy closed the connection its challenge is bound to
  'PROXY_AUTH_BAD_CHALLENGE', // the proxy's NTLM challenge message is malformed
  // tunnel: Negotiate (Kerberos) with the signed-in user's ticket
  'KERBEROS_UNAVAILABLE', // the optional kerberos module or the system's Kerberos libraries cannot be loaded
  'KERBEROS_NO_TICKET', // no ticket (or an expired one) in the credentials cache
  'KERBEROS_UNKNOWN_SPN', // the KDC does not know the proxy's service principal
  'KERBEROS_CLOCK_SKEW', // this machine's clock and the KDC's differ by more than allowed
  'KERBEROS_KDC_UNREACHABLE', // no KDC for the realm could be reached or found
  'KERBEROS_FAILED', // any other GSSAPI failure, with its text
  'PROXY_REFUSED', // the proxy's rules refused this CONNECT (403 …)
  'PROXY_UPSTREAM_UNREACHABLE', // the proxy could not reach the server (502/503/504, Squid's ERR_CONNECT_FAIL / ERR_DNS_FAIL)
  'PROXY_NO_CONNECT', // the address answers HTTP but takes no CONNECT (501/405): not a proxy
  'PROXY_BAD_RESPONSE',
  'PROXY_HEADERS_TOO_LARGE',
  'PROXY_CLOSED',
  'SOCKS_AUTH_FAILED',
  'SOCKS_REFUSED',
  // connect (direct)
  'DNS_FAILED',
  'CONNECTION_REFUSED',
  'HOST_UNREACHABLE',
  'CONNECT_TIMEOUT',
  // tls
  'TLS_CERT_EXPIRED',
  'TLS_CERT_NOT_YET_VALID',
  'TLS_HOSTNAME_MISMATCH',
  'TLS_UNTRUSTED_CERT',
  'TLS_HANDSHAKE_FAILED',
  'TLS_CLIENT_CERT_INVALID',
  // upgrade
  'UPGRADE_REJECTED',
  'UPGRADE_BAD_ACCEPT',
  'UPGRADE_UNREQUESTED_SUBPROTOCOL',
  'UPGRADE_MISSING_SUBPROTOCOL',
  'UPGRADE_INVALID_RESPONSE',
  'UPGRADE_CONNECTION_CLOSED',
  'UPGRADE_INVALID_REQUEST',
  'HANDSHAKE_TIMEOUT',
  // any stage before open: the user's overall deadline
  'OPEN_TIMEOUT',
  // protocol (after open)
  'PROTOCOL_INVALID_UTF8',
  'PROTOCOL_MESSAGE_TOO_BIG',
  'PROTOCOL_ERROR',
  // transport (after open)
  'CONNECTION_RESET',
  'CONNECTION_LOST',
  'PEER_UNRESPONSIVE', // no pong to a keep-alive ping within its deadline
  'CLOSE_TIMEOUT', // our close frame got no answer within the close deadline
  'SEND_QUEUE_FULL', // a send refused (the session stays open): the server is not reading
  // local problems (reading a CA file, a client key …), reported at the stage that needed it
  'LOCAL_FILE_UNREADABLE',
  // a bug in Tunnelscope itself: the session fails instead of the app crashing
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What the other side said, and what we know about where it failed. */
export const netErrorDetailsSchema = z.object({
  /** The target, `host:port`. */
  target: z.string().optional(),
  /** The proxy in use, without credentials (`http://proxy:3128`). */
  proxy: z.string().optional(),
  /** The CONNECT request as sent (secrets redacted). */
  proxyRequest: httpCaptureSchema.optional(),
  /** The proxy's answer to CONNECT: status line, headers (redacted), capped body. */
  proxyResponse: httpCaptureSchema.optional(),
  /** The server's (or the https proxy's) certificate chain, leaf first. */
  certChain: z.array(certSummarySchema).optional(),
  /** The upgrade request as sent. */
  upgradeRequest: httpCaptureSchema.optional(),
  /** A non-101 (or invalid) upgrade answer. */
  upgradeResponse: httpCaptureSchema.optional(),
  /** WebSocket close code and reason, when the failure came with one. */
  closeCode: z.number().int().optional(),
  closeReason: z.string().optional(),
  /** The low-level code Node or `ws` gave (`ECONNREFUSED`, `WS_ERR_INVALID_UTF8`, …). */
  cause: z.string().optional(),
  /** The low-level message, for the curious; never used to decide the code. */
  causeMessage: z.string().optional(),
  /** The file that could not be read (LOCAL_FILE_UNREADABLE). */
  file: z.string().optional(),
  /** The deadline that expired, in milliseconds. */
  timeoutMs: z.number().optional(),
  /** Which deadline that was (shared/timeouts.ts): the leg's own, or the whole opening's. */
  deadline: z.enum(DEADLINE_NAMES).optional(),
  /** Bytes handed to the socket but not yet written (SEND_QUEUE_FULL, PEER_UNRESPONSIVE). */
  queuedBytes: z.number().int().min(0).optional(),
  /** Which schemes and realm the proxy offered in `Proxy-Authenticate`. */
  authSchemes: z.array(z.string()).optional(),
  authRealm: z.string().optional(),
  /** The scheme of the credentials the proxy rejected (PROXY_AUTH_FAILED): `Basic`, `Digest`. */
  authScheme: z.string().optional(),
  /** Negotiate: the service principal the ticket was asked for (`HTTP@proxy.corp`). */
  servicePrincipal: z.string().optional(),
  /** Negotiate: the Kerberos credentials cache that was looked at (`FILE:/tmp/krb5cc_1000`). */
  credentialsCache: z.string().optional(),
});
export type NetErrorDetails = z.infer<typeof netErrorDetailsSchema>;

/** An action the UI can offer next to the hint. */
export const ERROR_ACTIONS = ['enter-proxy-credentials', 'trust-ca-file', 'connect-insecure'] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

export const netErrorSchema = z.object({
  kind: z.literal('net'),
  stage: z.enum(ERROR_STAGES),
  code: z.enum(ERROR_CODES),
  /** One sentence in plain words: what failed. */
  message: z.string(),
  /** What to do about it, in words that fit anywhere (logs, exports). */
  hint: z.string(),
  /** The same hint as parts, for each host to word (shared/hint-text.ts hintFor); absent in older logs. */
  hintParts: z.array(hintPartSchema).optional(),
  actions: z.array(z.enum(ERROR_ACTIONS)).optional(),
  details: netErrorDetailsSchema,
});
export type NetError = z.infer<typeof netErrorSchema>;

export function isNetError(value: unknown): value is NetError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'net';
}
