/**
 * A proxy sign-in round in words, for the CLI transcript and the timeline alike:
 * `Digest realm "corp" algorithm SHA-256 qop auth`. Never the credential itself.
 */
import type { ProxyAuthOffer, ProxyAuthRound, ProxyAuthSent } from './model';
import { ntlmMessageText } from './ntlm-text';

function withParams(scheme: string, fields: { realm?: string | undefined; algorithm?: string | undefined; qop?: string | undefined }): string {
  const parts = [scheme];
  if (fields.realm !== undefined) parts.push(`realm "${fields.realm}"`);
  if (fields.algorithm !== undefined) parts.push(`algorithm ${fields.algorithm}`);
  if (fields.qop !== undefined) parts.push(`qop ${fields.qop}`);
  return parts.join(' ');
}

/** `Negotiate (Kerberos) for HTTP@proxy: ticket HTTP/proxy realm "CORP"`: what the token says, not the token. */
function negotiateText(sent: ProxyAuthSent): string {
  const parts = [sent.mechanism !== undefined ? `${sent.scheme} (${sent.mechanism})` : sent.scheme];
  if (sent.spn !== undefined) parts.push(`for ${sent.spn}`);
  const ticket = [sent.ticketPrincipal !== undefined ? `ticket ${sent.ticketPrincipal}` : '', sent.realm !== undefined ? `realm "${sent.realm}"` : ''].filter((e) => e !== '');
  const text = parts.join(' ');
  return ticket.length > 0 ? `${text}: ${ticket.join(' ')}` : text;
}

export function authSentText(sent: ProxyAuthSent): string {
  const extras = [
    sent.userhash ? 'user name hashed' : '',
    sent.staleRetry ? 'again with the new nonce after stale=true' : '',
    sent.tokenProblem !== undefined ? `token not decoded: ${sent.tokenProblem}` : '',
    sent.fallback !== undefined ? `instead of ${sent.fallback.from}, which cannot be used: ${sent.fallback.reason}` : '',
  ].filter((e) => e !== '');
  const words = sent.ntlm !== undefined ? ntlmMessageText(sent.ntlm) : sent.scheme.toLowerCase() === 'negotiate' ? negotiateText(sent) : withParams(sent.scheme, sent);
  return `${words}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
}

export function authOfferText(offer: ProxyAuthOffer): string {
  const problem = offer.problem !== undefined ? ` (${offer.problem})` : '';
  if (offer.ntlm !== undefined) return `${ntlmMessageText(offer.ntlm)}${problem}`;
  return `${withParams(offer.scheme, offer)}${offer.stale === true ? ' stale=true' : ''}${problem}`;
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
