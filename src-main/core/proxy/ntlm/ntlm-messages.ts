/**
 * The three NTLM messages (MS-NLMP 2.2.1): NEGOTIATE and AUTHENTICATE written, all three read.
 * Written messages are sized to what they carry (no fixed buffer); read ones are checked field
 * by field (ntlm-reader.ts), so a malformed CHALLENGE is an NtlmFormatError naming the field.
 */
import { readAvPairs, type AvPair } from './av-pairs';
import { hasFlag } from './ntlm-flags';
import { fieldText, NTLM_SIGNATURE, NtlmFormatError, NtlmReader } from './ntlm-reader';

export const MESSAGE_TYPE = { NEGOTIATE: 1, CHALLENGE: 2, AUTHENTICATE: 3 } as const;

/** The OS version a peer put in its message (`6.0.6000`, NTLM revision 15). */
export interface NtlmVersion {
  major: number;
  minor: number;
  build: number;
  revision: number;
}

export interface NegotiateMessage {
  flags: number;
  domain?: string;
  workstation?: string;
}

export interface ChallengeMessage {
  flags: number;
  /** The TargetName field (the server's domain or name), as the flags say it is encoded. */
  targetName: string;
  /**
   * What is wrong with the TargetName field, when it cannot be read. Not fatal: the answer does
   * not use it, and real servers get it wrong (Squid's ntlm_fake_auth writes a stray offset).
   */
  targetNameProblem?: string;
  serverChallenge: Buffer;
  /** The raw AV pairs, MsvAvEOL included (what the NTLMv2 response signs); empty when none was sent. */
  targetInfo: Buffer;
  avPairs: AvPair[];
  version?: NtlmVersion;
}

export interface AuthenticateMessage {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  version?: NtlmVersion;
}

/** The fixed parts' sizes: everything a message points at lies after them. */
const NEGOTIATE_HEADER = 32;
const CHALLENGE_HEADER_OLD = 32;
const CHALLENGE_HEADER = 48;
const AUTHENTICATE_HEADER = 64;
const VERSION_BYTES = 8;

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/** NEGOTIATE with the flags and neither domain nor workstation (their fields empty). */
export function encodeNegotiate(flags: number): Buffer {
  const bytes = Buffer.alloc(NEGOTIATE_HEADER);
  NTLM_SIGNATURE.copy(bytes, 0);
  bytes.writeUInt32LE(MESSAGE_TYPE.NEGOTIATE, 8);
  bytes.writeUInt32LE(flags >>> 0, 12);
  // DomainNameFields and WorkstationFields: zero length at offset 32 (the end).
  bytes.writeUInt32LE(NEGOTIATE_HEADER, 20);
  bytes.writeUInt32LE(NEGOTIATE_HEADER, 28);
  return bytes;
}

export interface AuthenticateInput {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
}

/** AUTHENTICATE; the names in UTF-16LE when the flags hold UNICODE, else OEM (which must be ASCII). */
export function encodeAuthenticate(input: AuthenticateInput): Buffer {
  const unicode = hasFlag(input.flags, 'UNICODE');
  const text = (value: string, what: string): Buffer => {
    if (unicode) return Buffer.from(value, 'utf16le');
    if (!/^[\x20-\x7e]*$/.test(value)) throw new NtlmFormatError(what, 'the proxy does not accept Unicode names, and this one is not plain ASCII');
    return Buffer.from(value, 'latin1');
  };
  // The payload in the order Windows writes it: domain, user, workstation, LM, NT.
  const parts = [
    text(input.domain, 'DomainName'),
    text(input.user, 'UserName'),
    text(input.workstation, 'Workstation'),
    input.lmResponse,
    input.ntResponse,
  ];
  const [domain, user, workstation, lm, nt] = parts.map((part, index) => {
    const offset = AUTHENTICATE_HEADER + parts.slice(0, index).reduce((sum, p) => sum + p.length, 0);
    return { part, offset };
  });
  const total = AUTHENTICATE_HEADER + parts.reduce((sum, p) => sum + p.length, 0);
  const bytes = Buffer.alloc(total);
  NTLM_SIGNATURE.copy(bytes, 0);
  bytes.writeUInt32LE(MESSAGE_TYPE.AUTHENTICATE, 8);
  const descriptor = (at: number, field: { part: Buffer; offset: number } | undefined): void => {
    if (field === undefined) return;
    if (field.part.length > 0xffff) throw new NtlmFormatError('AUTHENTICATE', 'a field is longer than 65535 bytes');
    bytes.writeUInt16LE(field.part.length, at);
    bytes.writeUInt16LE(field.part.length, at + 2);
    bytes.writeUInt32LE(field.offset, at + 4);
    field.part.copy(bytes, field.offset);
  };
  descriptor(12, lm);
  descriptor(20, nt);
  descriptor(28, domain);
  descriptor(36, user);
  descriptor(44, workstation);
  // EncryptedRandomSessionKeyFields (52): empty, no key exchange; offset at the end.
  bytes.writeUInt32LE(total, 56);
  bytes.writeUInt32LE(input.flags >>> 0, 60);
  return bytes;
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/** The smallest offset of the non-empty payload fields among the descriptors at `ats`. */
function payloadStart(reader: NtlmReader, ats: readonly number[]): number {
  let start = reader.bytes.length;
  for (const at of ats) {
    const length = reader.u16(at, 'field length');
    if (length > 0) start = Math.min(start, reader.u32(at + 4, 'field offset'));
  }
  return start;
}

/** The Version field at `at`, when the flags announce it and the payload leaves room for it. */
function readVersion(reader: NtlmReader, flags: number, at: number, payloadFrom: number): NtlmVersion | undefined {
  if (!hasFlag(flags, 'VERSION') || reader.bytes.length < at + VERSION_BYTES || payloadFrom < at + VERSION_BYTES) return undefined;
  const v = reader.slice(at, VERSION_BYTES, 'Version');
  return { major: v.readUInt8(0), minor: v.readUInt8(1), build: v.readUInt16LE(2), revision: v.readUInt8(7) };
}

export function decodeNegotiate(bytes: Buffer): NegotiateMessage {
  const reader = new NtlmReader(bytes, 'the NEGOTIATE message');
  reader.expectHeader(MESSAGE_TYPE.NEGOTIATE, 'NEGOTIATE');
  const flags = reader.u32(12, 'NegotiateFlags');
  const message: NegotiateMessage = { flags };
  if (bytes.length >= NEGOTIATE_HEADER) {
    const domain = reader.field(16, 'DomainName', NEGOTIATE_HEADER);
    const workstation = reader.field(24, 'Workstation', NEGOTIATE_HEADER);
    // Both are OEM in a NEGOTIATE message.
    if (domain.length > 0) message.domain = domain.toString('latin1');
    if (workstation.length > 0) message.workstation = workstation.toString('latin1');
  }
  return message;
}

export function decodeChallenge(bytes: Buffer): ChallengeMessage {
  const reader = new NtlmReader(bytes, 'the CHALLENGE message');
  reader.expectHeader(MESSAGE_TYPE.CHALLENGE, 'CHALLENGE');
  if (bytes.length < CHALLENGE_HEADER_OLD) {
    throw new NtlmFormatError('CHALLENGE', `the message is ${bytes.length} bytes, shorter than its ${CHALLENGE_HEADER_OLD}-byte fixed part`);
  }
  const flags = reader.u32(20, 'NegotiateFlags');
  const unicode = hasFlag(flags, 'UNICODE');
  const serverChallenge = Buffer.from(reader.slice(24, 8, 'ServerChallenge'));
  // TargetInfoFields mean something only with TARGET_INFO (MS-NLMP 2.2.1.2); older servers end
  // the fixed part after the challenge (32 bytes) or 8 reserved bytes (40) and put names there.
  const hasTargetInfo = hasFlag(flags, 'TARGET_INFO');
  if (hasTargetInfo && bytes.length < CHALLENGE_HEADER) {
    throw new NtlmFormatError('TargetInfo', `the flags announce it, but the message is ${bytes.length} bytes, too short for its fields (needs ${CHALLENGE_HEADER})`);
  }
  const header = hasTargetInfo ? CHALLENGE_HEADER : CHALLENGE_HEADER_OLD;
  const targetInfo = hasTargetInfo ? Buffer.from(reader.field(40, 'TargetInfo', header)) : Buffer.alloc(0);
  const avPairs = targetInfo.length > 0 ? readAvPairs(targetInfo) : [];
  const message: ChallengeMessage = { flags, targetName: '', serverChallenge, targetInfo, avPairs };
  try {
    message.targetName = fieldText(reader.field(12, 'TargetName', header), unicode, 'TargetName');
  } catch (error) {
    if (!(error instanceof NtlmFormatError)) throw error;
    message.targetNameProblem = error.message;
  }
  if (hasTargetInfo) {
    const version = readVersion(reader, flags, CHALLENGE_HEADER, payloadStart(reader, [40, ...(message.targetNameProblem === undefined ? [12] : [])]));
    if (version) message.version = version;
  }
  return message;
}

export function decodeAuthenticate(bytes: Buffer): AuthenticateMessage {
  const reader = new NtlmReader(bytes, 'the AUTHENTICATE message');
  reader.expectHeader(MESSAGE_TYPE.AUTHENTICATE, 'AUTHENTICATE');
  const flags = reader.u32(60, 'NegotiateFlags');
  const unicode = hasFlag(flags, 'UNICODE');
  const message: AuthenticateMessage = {
    flags,
    lmResponse: Buffer.from(reader.field(12, 'LmChallengeResponse', AUTHENTICATE_HEADER)),
    ntResponse: Buffer.from(reader.field(20, 'NtChallengeResponse', AUTHENTICATE_HEADER)),
    domain: fieldText(reader.field(28, 'DomainName', AUTHENTICATE_HEADER), unicode, 'DomainName'),
    user: fieldText(reader.field(36, 'UserName', AUTHENTICATE_HEADER), unicode, 'UserName'),
    workstation: fieldText(reader.field(44, 'Workstation', AUTHENTICATE_HEADER), unicode, 'Workstation'),
  };
  const version = readVersion(reader, flags, AUTHENTICATE_HEADER, payloadStart(reader, [12, 20, 28, 36, 44, 52]));
  if (version) message.version = version;
  return message;
}
