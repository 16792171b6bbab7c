/**
 * The error panel's title: which leg failed, in plain words, decided by the error's stage
 * (and, for a few codes where the stage's phrase would mislead, by the code), followed by the
 * exchange that failed ("CONNECT → 500 handshakefailed").
 */
import type { ErrorCode, ErrorStage, NetError } from '../../../src-main/shared/errors';
import { statusSummary } from './http-start-line';

const STAGE_PHRASES: Record<ErrorStage, string> = {
  resolve: 'Choosing the proxy failed',
  'proxy-connect': 'Could not reach the proxy',
  'proxy-tls': 'The TLS handshake with the proxy failed',
  tunnel: 'The proxy refused the tunnel',
  connect: 'Could not reach the server',
  tls: 'The TLS handshake with the server failed',
  upgrade: 'The server refused the WebSocket upgrade',
  protocol: 'The server broke the WebSocket protocol',
  transport: 'The connection broke',
};

/** Codes whose stage phrase would say the wrong thing ("refused" for a timeout …). */
const CODE_PHRASES: Partial<Record<ErrorCode, string>> = {
  PROXY_AUTH_REQUIRED: 'The proxy asked for credentials',
  PROXY_AUTH_FAILED: 'The proxy rejected the credentials',
  PROXY_AUTH_CONNECTION_CLOSED: 'The proxy closed the connection during its sign-in',
  PROXY_AUTH_BAD_CHALLENGE: "The proxy's sign-in challenge is malformed",
  KERBEROS_UNAVAILABLE: 'The Kerberos (Negotiate) sign-in to the proxy could not be made',
  KERBEROS_NO_TICKET: 'The Kerberos (Negotiate) sign-in to the proxy could not be made',
  KERBEROS_UNKNOWN_SPN: 'The Kerberos (Negotiate) sign-in to the proxy could not be made',
  KERBEROS_CLOCK_SKEW: 'The Kerberos (Negotiate) sign-in to the proxy could not be made',
  KERBEROS_KDC_UNREACHABLE: 'The Kerberos (Negotiate) sign-in to the proxy could not be made',
  KERBEROS_FAILED: 'The Kerberos (Negotiate) sign-in to the proxy could not be made',
  PROXY_TIMEOUT: 'The proxy did not open the tunnel in time',
  PROXY_CLOSED: 'The proxy closed the connection during CONNECT',
  PROXY_UPSTREAM_UNREACHABLE: 'The proxy could not reach the server',
  PROXY_NO_CONNECT: 'The address is not a proxy that accepts CONNECT',
  HANDSHAKE_TIMEOUT: 'The server did not answer the upgrade in time',
  OPEN_TIMEOUT: 'The connection did not open in time',
  LOCAL_FILE_UNREADABLE: 'A local file could not be read',
};

export function stagePhrase(stage: ErrorStage): string {
  return STAGE_PHRASES[stage];
}

/** "CONNECT → 407 Proxy Authentication Required", "upgrade → 403 Forbidden", or null. */
export function failedExchange(error: NetError): string | null {
  const { proxyResponse, upgradeResponse } = error.details;
  if (error.stage === 'tunnel' && proxyResponse) return `CONNECT → ${statusSummary(proxyResponse.startLine)}`;
  if (error.stage === 'upgrade' && upgradeResponse) return `upgrade → ${statusSummary(upgradeResponse.startLine)}`;
  return null;
}

export function errorTitle(error: NetError): string {
  const phrase = CODE_PHRASES[error.code] ?? STAGE_PHRASES[error.stage];
  const exchange = failedExchange(error);
  return exchange ? `${phrase} (${exchange})` : phrase;
}

/**
 * The engine's message without what the title already says: "The proxy refused the tunnel
 * (CONNECT → 500 x); the answer came from …" under that same title reads "The answer came
 * from …". Messages that say something else are shown whole.
 */
export function messageAfterTitle(title: string, message: string): string {
  if (!message.startsWith(title)) return message;
  const rest = message.slice(title.length).replace(/^[\s;:,.—-]+/, '').trim();
  if (rest === '') return '';
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
