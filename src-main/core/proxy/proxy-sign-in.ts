/**
 * The proxy sign-in, one decision per 407: which credentials the next CONNECT carries, or the
 * failure that ends it. The scheme is the strongest usable one the proxy offers (Digest, then
 * Basic) unless the setting fixes one. Each scheme is tried once, Digest once more only when
 * the proxy calls its nonce stale, so the exchange always ends (no loop).
 */
import type { NetErrorDetails } from '../../shared/errors';
import type { ProxyAuthScheme, ProxyAuthSent } from '../../shared/model';
import { headerValues } from '../capture/http-capture';
import { NetFailure } from '../errors/net-failure';
import { digestAuthorization, newCnonce, offersDigest, pickDigestChallenge, type DigestChallenge } from './digest-auth';
import { basicProxyAuthorization, describeChallenges, offersBasic, parseProxyAuthenticate } from './proxy-auth';

export interface SignInCredentials {
  /** The `Proxy-Authorization` value. */
  header: string;
  /** What it carries, decoded for the timeline. */
  sent: ProxyAuthSent;
}

export type SignInStep = { kind: 'send'; credentials: SignInCredentials } | { kind: 'fail'; failure: NetFailure };

export interface SignInOptions {
  username: string;
  password: string;
  setting: ProxyAuthScheme;
  /** The CONNECT request-target (`host:port`), which Digest signs. */
  uri: string;
  /** Tests fix the cnonce; by default a fresh random one per answer. */
  cnonce?: () => string;
}

export class ProxySignIn {
  private readonly options: SignInOptions;
  private basicSent = false;
  private digestSent = false;
  private staleRetried = false;

  constructor(options: SignInOptions) {
    this.options = options;
  }

  /** Basic with the first CONNECT, for credentials set for the proxy itself (Digest needs a nonce first). */
  preemptive(): SignInCredentials | undefined {
    if (this.options.setting !== 'auto' && this.options.setting !== 'basic') return undefined;
    return this.basic();
  }

  /** The next credentials after this 407 (a PROXY_AUTH_REQUIRED or PROXY_AUTH_FAILED), or the end. */
  next(challenge: NetFailure): SignInStep {
    const details = challenge.netError.details;
    const values = headerValues(details.proxyResponse?.headers ?? [], 'proxy-authenticate');
    const offer = parseProxyAuthenticate(values);
    const offered = offer.schemes.length > 0 ? describeChallenges(offer) : 'no scheme (no Proxy-Authenticate header)';
    // A 407 that names no scheme is answered with Basic, as before Digest existed.
    const basicUsable = offer.schemes.length === 0 || offersBasic(offer);
    const digestOffered = offersDigest(values);
    const { setting } = this.options;

    if (setting === 'negotiate' || setting === 'ntlm') {
      const name = setting === 'negotiate' ? 'Negotiate (Kerberos)' : 'NTLM';
      return this.unsupported(details, `Proxy sign-in is set to ${name}, which this version cannot do yet (the proxy offers ${offered}); choose Auto, Digest or Basic.`);
    }
    if (setting === 'digest' && !digestOffered) {
      return this.unsupported(details, `Proxy sign-in is set to Digest, but the proxy offers ${offered}.`);
    }
    if (setting === 'basic' && !basicUsable) {
      return this.unsupported(details, `Proxy sign-in is set to Basic, but the proxy offers only ${offered}.`);
    }
    if (setting !== 'basic' && digestOffered) {
      const pick = pickDigestChallenge(values);
      if (pick.ok) return this.digest(pick.challenge, details, offered);
      if (setting === 'digest' || !basicUsable) {
        return this.unsupported(details, `The proxy's Digest challenge cannot be answered: ${pick.reason}.`);
      }
    }
    // Nothing usable under Auto: the proxy's own 407 (with its hint) is the answer.
    if (!basicUsable) return { kind: 'fail', failure: challenge };
    if (this.basicSent) return this.rejected(details, 'Basic', offered);
    const credentials = this.basic();
    return { kind: 'send', credentials };
  }

  private basic(): SignInCredentials {
    this.basicSent = true;
    return { header: basicProxyAuthorization(this.options.username, this.options.password), sent: { scheme: 'Basic' } };
  }

  private digest(challenge: DigestChallenge, details: NetErrorDetails, offered: string): SignInStep {
    let staleRetry = false;
    if (this.digestSent) {
      if (!challenge.stale) return this.rejected(details, 'Digest', offered);
      if (this.staleRetried) {
        return this.rejected(details, 'Digest', offered, 'the proxy called the nonce stale again after a retry with a fresh one');
      }
      this.staleRetried = true;
      staleRetry = true;
    }
    this.digestSent = true;
    const { username, password, uri } = this.options;
    const cnonce = (this.options.cnonce ?? newCnonce)();
    // A new nonce each round, so each answer is its first use (nc 1).
    const { header } = digestAuthorization({ challenge, username, password, method: 'CONNECT', uri, cnonce, nc: 1 });
    const sent: ProxyAuthSent = {
      scheme: 'Digest',
      realm: challenge.realm,
      algorithm: challenge.algorithm,
      ...(challenge.qop ? { qop: challenge.qop } : {}),
      ...(challenge.userhash ? { userhash: true } : {}),
      ...(staleRetry ? { staleRetry: true } : {}),
    };
    return { kind: 'send', credentials: { header, sent } };
  }

  private rejected(details: NetErrorDetails, scheme: string, offered: string, why?: string): SignInStep {
    const reason = why ?? `407 after they were sent; it asks for ${offered}`;
    const failure = NetFailure.of('tunnel', 'PROXY_AUTH_FAILED', { ...details, authScheme: scheme }, {
      message: `The proxy rejected the ${scheme} credentials for user "${this.options.username}" (${reason}).`,
    });
    return { kind: 'fail', failure };
  }

  private unsupported(details: NetErrorDetails, message: string): SignInStep {
    return { kind: 'fail', failure: NetFailure.of('tunnel', 'PROXY_AUTH_UNSUPPORTED', details, { message }) };
  }
}
