/**
 * A proxy sign-in round in words, for the CLI transcript and the timeline alike:
 * `Digest realm "corp" algorithm SHA-256 qop auth`. Never the credential itself.
 */
import type { ProxyAuthOffer, ProxyAuthRound, ProxyAuthSent } from './model';

function withParams(scheme: string, fields: { realm?: string | undefined; algorithm?: string | undefined; qop?: string | undefined }): string {
  const parts = [scheme];
  if (fields.realm !== undefined) parts.push(`realm "${fields.realm}"`);
  if (fields.algorithm !== undefined) parts.push(`algorithm ${fields.algorithm}`);
  if (fields.qop !== undefined) parts.push(`qop ${fields.qop}`);
  return parts.join(' ');
}

export function authSentText(sent: ProxyAuthSent): string {
  const extras = [sent.userhash ? 'user name hashed' : '', sent.staleRetry ? 'again with the new nonce after stale=true' : ''].filter((e) => e !== '');
  return `${withParams(sent.scheme, sent)}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
}

export function authOfferText(offer: ProxyAuthOffer): string {
  return `${withParams(offer.scheme, offer)}${offer.stale === true ? ' stale=true' : ''}`;
}

/** One line per fact of the round: what was sent, what the 407 offered. */
export function authRoundLines(auth: ProxyAuthRound): string[] {
  const lines: string[] = [];
  if (auth.sent) lines.push(`sign-in round ${auth.round}: sent ${authSentText(auth.sent)}`);
  if (auth.offered) {
    const offers = auth.offered.length > 0 ? auth.offered.map(authOfferText).join('; ') : 'no scheme';
    lines.push(`sign-in round ${auth.round}: the 407 offers ${offers}`);
  }
  return lines;
}
