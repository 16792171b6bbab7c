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
  // Before NTLMv2 the message could end after the challenge (and 8 reserved bytes): no TargetInfo.
  const hasTargetInfoFields = bytes.length >= CHALLENGE_HEADER;
  const header = hasTargetInfoFields ? CHALLENGE_HEADER : CHALLENGE_HEADER_OLD;
  const targetName = fieldText(reader.field(12, 'TargetName', header), unicode, 'TargetName');
  const serverChallenge = Buffer.from(reader.slice(24, 8, 'ServerChallenge'));
  const targetInfo = hasTargetInfoFields ? Buffer.from(reader.field(40, 'TargetInfo', header)) : Buffer.alloc(0);
  const avPairs = targetInfo.length > 0 ? readAvPairs(targetInfo) : [];
  const message: ChallengeMessage = { flags, targetName, serverChallenge, targetInfo, avPairs };
  if (hasTargetInfoFields) {
    const version = readVersion(reader, flags, CHALLENGE_HEADER, payloadStart(reader, [12, 40]));
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
