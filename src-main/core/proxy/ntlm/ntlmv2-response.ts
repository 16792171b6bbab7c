/**
 * The NTLMv2 computation (MS-NLMP 3.3.2): NTOWFv2 from the password, user and domain; the
 * NTLMv2 and LMv2 responses to a server challenge; the session base key. Pure: the time and the
 * client challenge come from the caller, so tests reproduce the specification's vectors exactly.
 *
 * MD4 is js-md4's: Node 20's OpenSSL 3 keeps MD4 in its legacy provider, which is not loaded.
 */
import { createHmac } from 'node:crypto';
import md4 from 'js-md4';

function hmacMd5(key: Buffer, ...data: Buffer[]): Buffer {
  const hmac = createHmac('md5', key);
  for (const part of data) hmac.update(part);
  return hmac.digest();
}

/** NTOWFv2 = HMAC-MD5(MD4(UTF-16LE(password)), UTF-16LE(uppercase(user) + domain)). */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  const ntHash = Buffer.from(md4.arrayBuffer(Buffer.from(password, 'utf16le')));
  return hmacMd5(ntHash, Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

export interface Ntlmv2Input {
  /** NTOWFv2 of the credentials (ResponseKeyNT; ResponseKeyLM is the same). */
  responseKey: Buffer;
  /** The 8 bytes of the CHALLENGE message. */
  serverChallenge: Buffer;
  /** 8 random bytes of our own. */
  clientChallenge: Buffer;
  /** The FILETIME (8 bytes, little-endian) that goes into the response. */
  time: Buffer;
  /** The AV pairs to sign: the CHALLENGE's TargetInfo, ending with MsvAvEOL. */
  targetInfo: Buffer;
}

export interface Ntlmv2Response {
  /** NtChallengeResponse: NTProofStr followed by the signed blob (`temp`). */
  ntResponse: Buffer;
  ntProofStr: Buffer;
  /** LmChallengeResponse (LMv2): HMAC over both challenges, then the client challenge. */
  lmResponse: Buffer;
  sessionBaseKey: Buffer;
}

export function ntlmv2Response(input: Ntlmv2Input): Ntlmv2Response {
  const { responseKey, serverChallenge, clientChallenge, time, targetInfo } = input;
  if (serverChallenge.length !== 8 || clientChallenge.length !== 8 || time.length !== 8) {
    throw new RangeError('the server challenge, the client challenge and the time are 8 bytes each');
  }
  // temp = Responserversion, HiResponserversion, Z(6), Time, ClientChallenge, Z(4), ServerName, Z(4)
  const temp = Buffer.concat([Buffer.from([1, 1]), Buffer.alloc(6), time, clientChallenge, Buffer.alloc(4), targetInfo, Buffer.alloc(4)]);
  const ntProofStr = hmacMd5(responseKey, serverChallenge, temp);
  return {
    ntResponse: Buffer.concat([ntProofStr, temp]),
    ntProofStr,
    lmResponse: Buffer.concat([hmacMd5(responseKey, serverChallenge, clientChallenge), clientChallenge]),
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

/** Windows FILETIME (100 ns since 1601-01-01, UTC) of an epoch-milliseconds time, exact (BigInt, not a float). */
export function fileTime(epochMs: number): Buffer {
  const ticks = (BigInt(Math.trunc(epochMs)) + 11_644_473_600_000n) * 10_000n;
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(ticks);
  return bytes;
}
