/**
 * An NTLM message as a support engineer reads it (the contract's NtlmMessageInfo): the flags by
 * name, the names the proxy gave for itself, who signed in. Never a hash, a challenge or a response.
 */
import type { NtlmMessageInfo } from '../../../shared/model';
import { targetInfoNames } from './av-pairs';
import { flagNames } from './ntlm-flags';
import type { AuthenticateMessage, ChallengeMessage, NegotiateMessage, NtlmVersion } from './ntlm-messages';

function versionText(version: NtlmVersion | undefined): { version?: string } {
  return version ? { version: `${version.major}.${version.minor}.${version.build}` } : {};
}

export function describeNegotiate(message: NegotiateMessage): NtlmMessageInfo {
  return {
    type: 'negotiate',
    flags: flagNames(message.flags),
    ...(message.domain !== undefined ? { domain: message.domain } : {}),
    ...(message.workstation !== undefined ? { workstation: message.workstation } : {}),
  };
}

export function describeChallenge(message: ChallengeMessage): NtlmMessageInfo {
  return {
    type: 'challenge',
    flags: flagNames(message.flags),
    ...(message.targetName !== '' ? { targetName: message.targetName } : {}),
    ...targetInfoNames(message.avPairs),
    ...versionText(message.version),
  };
}

export function describeAuthenticate(message: AuthenticateMessage): NtlmMessageInfo {
  // An NTLMv2 NtChallengeResponse is longer than the 24 bytes of NTLMv1.
  const response = message.ntResponse.length > 24 ? 'NTLMv2' : message.ntResponse.length === 24 ? 'NTLMv1' : 'none';
  return {
    type: 'authenticate',
    flags: flagNames(message.flags),
    domain: message.domain,
    user: message.user,
    workstation: message.workstation,
    response,
    ...versionText(message.version),
  };
}
