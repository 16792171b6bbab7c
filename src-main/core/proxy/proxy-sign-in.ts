/**
 * The proxy sign-in, one decision per 407: which credentials the next CONNECT carries, or the
 * failure that ends it. The scheme is the strongest usable one the proxy offers (NTLM, Digest,
 * then Basic) unless the setting fixes one. Each scheme is tried once, Digest once more only
 * when the proxy calls its nonce stale, so the exchange always ends (no loop).
 *
 * NTLM (and any ConnectionBoundScheme) runs over several rounds on the one connection the
 * proxy keeps: its first token answers the 407 that offered it, its next answers the proxy's
 * challenge token on the same connection. A 407 without a token after ours is a rejection; a
 * challenge on a connection the proxy closed cannot be answered at all.
 */
import type { NetErrorDetails } from '../../shared/errors';
import type { ProxyAuthScheme, ProxyAuthSent } from '../../shared/model';
import { headerValues } from '../capture/http-capture';
import { NetFailure } from '../errors/net-failure';
import type { BoundRoundResult, ConnectionBoundScheme } from './connection-bound-scheme';
import { digestAuthorization, newCnonce, offersDigest, pickDigestChallenge, type DigestChallenge } from './digest-auth';
import { NegotiateSignIn, type NegotiateOptions } from './negotiate/negotiate-sign-in';
import { NtlmSignIn, type NtlmSignInOptions } from './ntlm/ntlm-sign-in';
import { basicProxyAuthorization, describeChallenges, offersBasic, parseChallenges, parseProxyAuthenticate, type Challenge } from './proxy-auth';

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
  /** The NTLM domain for a plain user name. */
  domain?: string;
  setting: ProxyAuthScheme;
  /** The CONNECT request-target (`host:port`), which Digest signs. */
  uri: string;
  /** Tests fix the cnonce; by default a fresh random one per answer. */
  cnonce?: () => string;
  /** Tests fix NTLM's clock and client challenge. */
  ntlm?: Pick<NtlmSignInOptions, 'now' | 'randomBytes'>;
  /** Negotiate (the user's Kerberos ticket): the proxy's host, the principal set; absent: Negotiate is never used. */
  negotiate?: NegotiateOptions;
  /** False when no user name was given: only Negotiate can sign in, any other 407 stays the answer. */
  withCredentials?: boolean;
}

/** What the 407 that ended a round says about the connection it came on. */
export interface ChallengeContext {
  /** The proxy kept the connection open after its 407 (the next CONNECT goes on it). */
  kept: boolean;
}

/** A connection-bound scheme in progress: its name as the proxy writes it, and its state. */
interface BoundExchange {
  name: string;
  scheme: ConnectionBoundScheme;
  /** Tokens sent so far. */
  tokens: number;
}

/** A backstop: NTLM needs two tokens; no scheme more than this. */
const MAX_BOUND_TOKENS = 4;

export class ProxySignIn {
  private readonly options: SignInOptions;
  private basicSent = false;
  private digestSent = false;
  private staleRetried = false;
  private bound: BoundExchange | undefined;
  /** Why Negotiate, offered first, could not be used: said on the scheme sent instead. */
  private fallback: { from: string; reason: string } | undefined;

  constructor(options: SignInOptions) {
    this.options = options;
  }

  /**
   * Credentials with the first CONNECT, for credentials set for the proxy itself: Basic only
   * when the setting is Basic; the NTLM NEGOTIATE message (no secret in it) when it is NTLM (it
   * needs no challenge, and saves a round); nothing under Auto, whose choice waits for the 407's
   * offer (Basic up front would show the password to a proxy that wants Digest or NTLM), nor for
   * Digest, which needs the proxy's nonce first.
   */
  async preemptive(): Promise<SignInCredentials | undefined> {
    const { setting } = this.options;
    if (this.options.withCredentials === false) return undefined;
    if (setting === 'basic') return this.basic();
    if (setting === 'ntlm') {
      const started = await this.startBound('NTLM', this.ntlm(), {});
      return started.kind === 'send' ? started.credentials : undefined;
    }
    return undefined;
  }

  /** The next credentials after this 407 (a PROXY_AUTH_REQUIRED or PROXY_AUTH_FAILED), or the end. */
  async next(challenge: NetFailure, context: ChallengeContext): Promise<SignInStep> {
    const step = await this.decide(challenge, context);
    const { fallback } = this;
    if (step.kind !== 'send' || !fallback) return step;
    this.fallback = undefined;
    return { kind: 'send', credentials: { ...step.credentials, sent: { ...step.credentials.sent, fallback } } };
  }

  private async decide(challenge: NetFailure, context: ChallengeContext): Promise<SignInStep> {
    const details = challenge.netError.details;
    const values = headerValues(details.proxyResponse?.headers ?? [], 'proxy-authenticate');
    const challenges = parseChallenges(values);
    const offer = parseProxyAuthenticate(values);
    const offered = offer.schemes.length > 0 ? describeChallenges(offer) : 'no scheme (no Proxy-Authenticate header)';
    if (this.bound) return this.continueBound(this.bound, challenges, details, offered, context);

    // A 407 that names no scheme is answered with Basic, as before Digest existed.
    const basicUsable = offer.schemes.length === 0 || offersBasic(offer);
    const digestOffered = offersDigest(values);
    const ntlmOffered = challenges.some((c) => isScheme(c, 'NTLM'));
    const { setting } = this.options;

    const negotiateOffered = challenges.some((c) => isScheme(c, 'Negotiate'));
    if (setting === 'negotiate' && !negotiateOffered) {
      return this.notOffered(details, 'Negotiate', `Proxy sign-in is set to Negotiate (Kerberos), but the proxy offers ${offered}.`);
    }
    if ((setting === 'auto' || setting === 'negotiate') && negotiateOffered && this.options.negotiate) {
      const started = await this.startBound('Negotiate', new NegotiateSignIn(this.options.negotiate), details);
      if (started.kind !== 'unusable') return started;
      // Under Auto a weaker scheme may follow, when there are credentials for it.
      const othersOffered = offer.schemes.filter((s) => s.toLowerCase() !== 'negotiate');
      if (setting !== 'auto' || this.options.withCredentials === false || othersOffered.length === 0) {
        return { kind: 'fail', failure: this.options.withCredentials === false ? withOtherSchemes(started.failure, othersOffered) : started.failure };
      }
      this.fallback = { from: 'Negotiate', reason: started.reason };
    }
    // Without credentials nothing else can be answered: the proxy's own 407 (with its hint) is the answer.
    if (this.options.withCredentials === false) return { kind: 'fail', failure: challenge };
    if (setting === 'ntlm' && !ntlmOffered) {
      return this.notOffered(details, 'NTLM', `Proxy sign-in is set to NTLM, but the proxy offers ${offered}.`);
    }
    if (setting === 'digest' && !digestOffered) {
      return this.notOffered(details, 'Digest', `Proxy sign-in is set to Digest, but the proxy offers ${offered}.`);
    }
    if (setting === 'basic' && !basicUsable) {
      return this.notOffered(details, 'Basic', `Proxy sign-in is set to Basic, but the proxy offers only ${offered}.`);
    }
    if ((setting === 'auto' || setting === 'ntlm') && ntlmOffered) {
      const started = await this.startBound('NTLM', this.ntlm(), details);
      if (started.kind !== 'unusable') return started;
      if (setting !== 'auto') return { kind: 'fail', failure: started.failure };
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

  private ntlm(): NtlmSignIn {
    const { username, password, domain, ntlm } = this.options;
    return new NtlmSignIn({ username, password, ...(domain !== undefined ? { domain } : {}), ...ntlm });
  }

  /** The scheme's first token; the exchange is bound from here on. */
  private async startBound(name: string, scheme: ConnectionBoundScheme, details: NetErrorDetails): Promise<SignInStep | { kind: 'unusable'; failure: NetFailure; reason: string }> {
    const result = await scheme.first(details);
    if (result.kind === 'unusable') return { kind: 'unusable', failure: result.failure, reason: result.reason };
    if (result.kind === 'send') this.bound = { name, scheme, tokens: 1 };
    return stepOf(result);
  }

  private async continueBound(bound: BoundExchange, challenges: Challenge[], details: NetErrorDetails, offered: string, context: ChallengeContext): Promise<SignInStep> {
    const token = challenges.find((c) => isScheme(c, bound.name) && c.token !== undefined)?.token;
    if (bound.tokens === 1 && !challenges.some((c) => isScheme(c, bound.name))) {
      // The first message went with the first CONNECT (the setting), to a proxy that does not take the scheme.
      return this.notOffered(details, bound.name, `Proxy sign-in is set to ${bound.name}, but the proxy offers ${offered}.`);
    }
    if (token === undefined) {
      // No challenge token: the proxy refused what it got (closing the connection after a refusal is normal). Negotiate's one token is its whole answer.
      return this.rejected(details, bound.name, offered, bound.tokens > 1 || bound.name === 'Negotiate' ? undefined : `407 without ${article(bound.name)} ${bound.name} challenge to the first message; it asks for ${offered}`);
    }
    if (!context.kept) {
      const failure = NetFailure.of('tunnel', 'PROXY_AUTH_CONNECTION_CLOSED', { ...details, authScheme: bound.name }, {
        message: `The proxy closed the connection after its ${bound.name} challenge; ${bound.name} needs one kept-alive connection, so the challenge cannot be answered.`,
      });
      return { kind: 'fail', failure };
    }
    if (bound.tokens >= MAX_BOUND_TOKENS) {
      return this.rejected(details, bound.name, offered, `the proxy still challenges after ${bound.tokens} ${bound.name} messages`);
    }
    const result = await bound.scheme.next(token, details);
    if (result.kind === 'send') bound.tokens += 1;
    return result.kind === 'unusable' ? { kind: 'fail', failure: result.failure } : stepOf(result);
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
    // Negotiate sends the user's Kerberos ticket, not the user name and password given.
    const ticket = scheme === 'Negotiate';
    const reason = why ?? `407 after ${ticket ? 'it was' : 'they were'} sent; it asks for ${offered}`;
    const what = ticket ? 'the Kerberos ticket (Negotiate)' : `the ${scheme} credentials for user "${this.options.username}"`;
    const failure = NetFailure.of('tunnel', 'PROXY_AUTH_FAILED', { ...details, authScheme: scheme }, {
      message: `The proxy rejected ${what} (${reason}).`,
    });
    return { kind: 'fail', failure };
  }

  private unsupported(details: NetErrorDetails, message: string): SignInStep {
    return { kind: 'fail', failure: NetFailure.of('tunnel', 'PROXY_AUTH_UNSUPPORTED', details, { message }) };
  }

  /**
   * The scheme set is one the proxy does not offer: `authScheme` names it beside the schemes
   * offered (`authSchemes`), so a host can point at the sign-in setting (Auto), not at credentials.
   */
  private notOffered(details: NetErrorDetails, scheme: string, message: string): SignInStep {
    return { kind: 'fail', failure: NetFailure.of('tunnel', 'PROXY_AUTH_UNSUPPORTED', { ...details, authScheme: scheme }, { message }) };
  }
}

/**
 * Negotiate's failure when nothing else could be sent for want of credentials: the proxy's other
 * schemes are named, and entering a user name and password is offered.
 */
function withOtherSchemes(failure: NetFailure, others: readonly string[]): NetFailure {
  if (others.length === 0) return failure;
  const { stage, code, message, hint, details } = failure.netError;
  return NetFailure.of(stage, code, details, {
    message: `${message} The proxy also offers ${others.join(', ')}: a user name and password would sign in with ${others.length === 1 ? 'it' : 'them'}.`,
    hint,
    actions: ['enter-proxy-credentials'],
  });
}

/** `an NTLM`, `a Negotiate`. */
function article(name: string): string {
  return /^[aeiouAEIOU]|^NTLM/.test(name) ? 'an' : 'a';
}

function isScheme(challenge: Challenge, name: string): boolean {
  return challenge.scheme.toLowerCase() === name.toLowerCase();
}

function stepOf(result: Exclude<BoundRoundResult, { kind: 'unusable' }>): SignInStep {
  return result.kind === 'send' ? { kind: 'send', credentials: { header: result.header, sent: result.sent } } : { kind: 'fail', failure: result.failure };
}
