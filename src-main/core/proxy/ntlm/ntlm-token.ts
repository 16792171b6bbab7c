/**
 * The base64 token of an `NTLM <token>` header, read strictly, and a 407's NTLM challenge
 * decoded for the timeline (or what is wrong with it).
 */
import type { ProxyAuthOffer } from '../../../shared/model';
import { describeChallenge } from './ntlm-describe';
import { decodeChallenge } from './ntlm-messages';
import { NtlmFormatError } from './ntlm-reader';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The token's bytes; anything but whole base64 is an NtlmFormatError. */
export function tokenBytes(token: string): Buffer {
  const text = token.trim();
  if (!BASE64.test(text) || text.length % 4 === 1) {
    throw new NtlmFormatError('token', `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}" is not base64`);
  }
  return Buffer.from(text, 'base64');
}

/** A CHALLENGE whose TargetName cannot be read: a fact worth a clause, not a fault (the answer does not use it). */
export const UNREADABLE_TARGET_NAME = "the challenge's target name is unreadable; not needed";

/** An `NTLM <token>` challenge as the timeline shows it: the CHALLENGE decoded, or the problem. */
export function decodeNtlmOffer(token: string): Pick<ProxyAuthOffer, 'ntlm' | 'problem'> {
  try {
    const message = decodeChallenge(tokenBytes(token));
    // Said in one clause: the field's offsets (Squid's ntlm_fake_auth writes a stray one) help nobody answer.
    const problem = message.targetNameProblem !== undefined ? { problem: UNREADABLE_TARGET_NAME } : {};
    return { ntlm: describeChallenge(message), ...problem };
  } catch (error) {
    if (error instanceof NtlmFormatError) return { problem: `malformed NTLM challenge: ${error.message}` };
    throw error;
  }
}
