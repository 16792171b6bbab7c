/**
 * NTLM to a proxy (NTLMv2 responses): the NEGOTIATE message first, then the AUTHENTICATE
 * message answering the proxy's CHALLENGE. The flow (proxy-sign-in.ts) sends both on the
 * connection the proxy keeps; this class only makes them. The time and the client challenge
 * are injected, so tests reproduce the specification's vectors.
 *
 * When the CHALLENGE carries a timestamp (MsvAvTimestamp), the response uses it and the LMv2
 * response is zeros (MS-NLMP 3.1.5.1.2). No MIC is sent (it is optional, and meant for the
 * session security that HTTP sign-in never uses), nor a session key.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { NetErrorDetails } from '../../../shared/errors';
import { NetFailure } from '../../errors/net-failure';
import type { BoundRoundResult, ConnectionBoundScheme } from '../connection-bound-scheme';
import { serverTimestamp } from './av-pairs';
import { describeAuthenticate, describeNegotiate } from './ntlm-describe';
import { flagsOf, hasFlag, NTLM_FLAGS } from './ntlm-flags';
import { decodeAuthenticate, decodeChallenge, decodeNegotiate, encodeAuthenticate, encodeNegotiate, type ChallengeMessage } from './ntlm-messages';
import { NtlmFormatError } from './ntlm-reader';
import { tokenBytes } from './ntlm-token';
import { ntlmIdentity, type NtlmIdentity } from './ntlm-user';
import { fileTime, ntlmv2Response, ntowfv2 } from './ntlmv2-response';

/** What NEGOTIATE asks for: Unicode or OEM names, the target's name, NTLM with extended session security. */
export const NEGOTIATE_FLAGS = flagsOf('UNICODE', 'OEM', 'REQUEST_TARGET', 'NTLM', 'ALWAYS_SIGN', 'EXTENDED_SESSIONSECURITY', '128', '56');

export interface NtlmSignInOptions {
  /** As typed: `DOMAIN\user`, `user@domain` or a plain name. */
  username: string;
  password: string;
  /** The domain for a plain user name. */
  domain?: string;
  /** Epoch milliseconds for the response's timestamp when the proxy sends none. */
  now?: () => number;
  /** The client challenge's 8 bytes. */
  randomBytes?: (size: number) => Buffer;
  /** The workstation name sent (default none: the proxy does not need it to check the response). */
  workstation?: string;
}

export class NtlmSignIn implements ConnectionBoundScheme {
  private readonly options: NtlmSignInOptions;
  private state: 'new' | 'negotiate-sent' | 'authenticate-sent' = 'new';

  constructor(options: NtlmSignInOptions) {
    this.options = options;
  }

  first(details: NetErrorDetails): Promise<BoundRoundResult> {
    const identity = this.identity(details);
    if (!identity.ok) return Promise.resolve(identity.result);
    const message = encodeNegotiate(NEGOTIATE_FLAGS);
    this.state = 'negotiate-sent';
    return Promise.resolve({ kind: 'send', header: `NTLM ${message.toString('base64')}`, sent: { scheme: 'NTLM', ntlm: describeNegotiate(decodeNegotiate(message)) } });
  }

  next(proxyToken: string, details: NetErrorDetails): Promise<BoundRoundResult> {
    if (this.state !== 'negotiate-sent') {
      const failure = NetFailure.of('tunnel', 'PROXY_AUTH_FAILED', { ...details, authScheme: 'NTLM' }, {
        message: `The proxy sent another NTLM challenge after the AUTHENTICATE message for user "${this.options.username}" instead of opening the tunnel.`,
      });
      return Promise.resolve({ kind: 'fail', failure });
    }
    const identity = this.identity(details);
    if (!identity.ok) return Promise.resolve(identity.result);
    let challenge: ChallengeMessage;
    let authenticate: Buffer;
    try {
      challenge = decodeChallenge(tokenBytes(proxyToken));
      authenticate = this.authenticate(challenge, identity.identity);
    } catch (error) {
      if (!(error instanceof NtlmFormatError)) throw error;
      const failure = NetFailure.of('tunnel', 'PROXY_AUTH_BAD_CHALLENGE', { ...details, authScheme: 'NTLM' }, {
        message: `The proxy's NTLM challenge is malformed (${error.message}); it cannot be answered.`,
      });
      return Promise.resolve({ kind: 'fail', failure });
    }
    this.state = 'authenticate-sent';
    const sent = { scheme: 'NTLM', ntlm: describeAuthenticate(decodeAuthenticate(authenticate)) };
    return Promise.resolve({ kind: 'send', header: `NTLM ${authenticate.toString('base64')}`, sent });
  }

  private identity(details: NetErrorDetails): { ok: true; identity: NtlmIdentity } | { ok: false; result: BoundRoundResult } {
    const read = ntlmIdentity(this.options.username, this.options.domain);
    if (read.ok) return read;
    const failure = NetFailure.of('tunnel', 'PROXY_AUTH_UNSUPPORTED', { ...details, authScheme: 'NTLM' }, {
      message: `The proxy asks for NTLM, but ${read.problem}.`,
    });
    return { ok: false, result: { kind: 'fail', failure } };
  }

  private authenticate(challenge: ChallengeMessage, identity: NtlmIdentity): Buffer {
    const timestamp = serverTimestamp(challenge.avPairs);
    const clientChallenge = (this.options.randomBytes ?? cryptoRandomBytes)(8);
    const response = ntlmv2Response({
      responseKey: ntowfv2(this.options.password, identity.user, identity.domain),
      serverChallenge: challenge.serverChallenge,
      clientChallenge,
      time: timestamp ?? fileTime((this.options.now ?? Date.now)()),
      // A challenge without TargetInfo (pre-NTLMv2 servers) is answered over an empty list.
      targetInfo: challenge.targetInfo.length > 0 ? challenge.targetInfo : Buffer.alloc(4),
    });
    return encodeAuthenticate({
      flags: authenticateFlags(challenge.flags),
      lmResponse: timestamp ? Buffer.alloc(24) : response.lmResponse,
      ntResponse: response.ntResponse,
      domain: identity.domain,
      user: identity.user,
      workstation: this.options.workstation ?? '',
    });
  }
}

/**
 * The flags AUTHENTICATE states: what both sides asked for (never the proxy's flags echoed
 * back), Unicode when the proxy chose it, else OEM.
 */
export function authenticateFlags(challengeFlags: number): number {
  const charset = hasFlag(challengeFlags, 'UNICODE') ? NTLM_FLAGS.UNICODE : NTLM_FLAGS.OEM;
  const shared = (challengeFlags & NEGOTIATE_FLAGS & ~(NTLM_FLAGS.UNICODE | NTLM_FLAGS.OEM)) >>> 0;
  return (shared | charset | NTLM_FLAGS.NTLM) >>> 0;
}
