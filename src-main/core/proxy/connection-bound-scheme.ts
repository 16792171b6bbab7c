/**
 * A sign-in scheme whose rounds belong to one connection (NTLM, Negotiate): the proxy's
 * challenge token answers our first token on the connection it kept open, and our answer must
 * go on that same connection. The scheme only makes tokens; the flow (proxy-sign-in.ts,
 * tunnel.ts) keeps the socket, counts the rounds and decides what a closed connection or
 * another 407 means.
 */
import type { NetErrorDetails } from '../../shared/errors';
import type { ProxyAuthSent } from '../../shared/model';
import type { NetFailure } from '../errors/net-failure';

export type BoundRoundResult =
  /** The `Proxy-Authorization` value for the next CONNECT, and what it carries, decoded. */
  | { kind: 'send'; header: string; sent: ProxyAuthSent }
  /** The scheme cannot be used here at all (nothing was sent): a weaker scheme may follow. */
  | { kind: 'unusable'; failure: NetFailure; reason: string }
  | { kind: 'fail'; failure: NetFailure };

export interface ConnectionBoundScheme {
  /** The first token, answering a 407 that offered the scheme without a token. */
  first(details: NetErrorDetails): Promise<BoundRoundResult>;
  /** The answer to the proxy's challenge token (base64, as it came in `Proxy-Authenticate`). */
  next(proxyToken: string, details: NetErrorDetails): Promise<BoundRoundResult>;
}
