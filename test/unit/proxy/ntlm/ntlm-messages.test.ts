/**
 * The NTLM message codec: the CHALLENGE of MS-NLMP 4.2.4.3 decoded into what a support engineer
 * reads, NEGOTIATE and AUTHENTICATE written and read back, the AUTHENTICATE of 4.2.4.4 read,
 * and every malformed CHALLENGE a clear error naming its field (never a crash).
 */
import { describe, expect, it } from 'vitest';
import { serverTimestamp } from '../../../../src-main/core/proxy/ntlm/av-pairs';
import { describeChallenge, describeNegotiate } from '../../../../src-main/core/proxy/ntlm/ntlm-describe';
import { flagNames, flagsOf } from '../../../../src-main/core/proxy/ntlm/ntlm-flags';
import { decodeAuthenticate, decodeChallenge, decodeNegotiate, encodeAuthenticate, encodeNegotiate } from '../../../../src-main/core/proxy/ntlm/ntlm-messages';
import { NtlmFormatError } from '../../../../src-main/core/proxy/ntlm/ntlm-reader';
import { NEGOTIATE_FLAGS, authenticateFlags } from '../../../../src-main/core/proxy/ntlm/ntlm-sign-in';
import { decodeNtlmOffer, tokenBytes } from '../../../../src-main/core/proxy/ntlm/ntlm-token';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** MS-NLMP 4.2.4.3. */
const SPEC_CHALLENGE = hex(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
  24002400 44000000 060070170000000f
  53006500720076006500720002000c0044006f006d00610069006e0001000c0053006500720076006500720000000000`);

/** MS-NLMP 4.2.4.4 (with a version and an encrypted session key, which this client never sends). */
const SPEC_AUTHENTICATE = hex(`
  4e544c4d535350000300000018001800 6c00000054005400840000000c000c00 48000000080008005400000010001000
  5c00000010001000d8000000358288e2 0501280a0000000f44006f006d006100 69006e00550073006500720043004f00
  4d005000550054004500520086c35097 ac9cec102554764a57cccc19aaaaaaaa aaaaaaaa68cd0ab851e51c96aabc927b
  ebef6a1c010100000000000000000000 00000000aaaaaaaaaaaaaaaa00000000 02000c0044006f006d00610069006e00
  01000c00530065007200760065007200 0000000000000000c5dad2544fc97990 94ce1ce90bc9d03e`);

describe('NTLM flags', () => {
  it('names every bit set, and an unassigned one by its value', () => {
    expect(flagNames(0xe28a8233)).toEqual(['UNICODE', 'OEM', 'SIGN', 'SEAL', 'NTLM', 'ALWAYS_SIGN', 'TARGET_TYPE_SERVER', 'EXTENDED_SESSIONSECURITY', 'TARGET_INFO', 'VERSION', '128', 'KEY_EXCH', '56']);
    expect(flagNames(0x00000100 | 0x00000001)).toEqual(['UNICODE', '0x00000100']);
  });
});

describe('CHALLENGE', () => {
  it('the specification\'s message, decoded for the timeline', () => {
    const message = decodeChallenge(SPEC_CHALLENGE);
    expect(message.serverChallenge.toString('hex')).toBe('0123456789abcdef');
    expect(message.targetInfo.length).toBe(36);
    expect(describeChallenge(message)).toEqual({
      type: 'challenge',
      flags: ['UNICODE', 'OEM', 'SIGN', 'SEAL', 'NTLM', 'ALWAYS_SIGN', 'TARGET_TYPE_SERVER', 'EXTENDED_SESSIONSECURITY', 'TARGET_INFO', 'VERSION', '128', 'KEY_EXCH', '56'],
      targetName: 'Server',
      netbiosDomain: 'Domain',
      netbiosServer: 'Server',
      version: '6.0.6000',
    });
  });

  it('DNS names and the forest from the AV pairs', () => {
    const av = (id: number, text: string): Buffer => {
      const value = Buffer.from(text, 'utf16le');
      const head = Buffer.alloc(4);
      head.writeUInt16LE(id, 0);
      head.writeUInt16LE(value.length, 2);
      return Buffer.concat([head, value]);
    };
    const targetInfo = Buffer.concat([av(2, 'CORP'), av(1, 'PROXY1'), av(4, 'corp.example'), av(3, 'proxy1.corp.example'), av(5, 'example'), Buffer.alloc(4)]);
    const offer = decodeNtlmOffer(challengeWith({ targetInfo, targetName: Buffer.from('CORP', 'utf16le') }).toString('base64'));
    expect(offer.ntlm).toMatchObject({ targetName: 'CORP', netbiosDomain: 'CORP', netbiosServer: 'PROXY1', dnsDomain: 'corp.example', dnsServer: 'proxy1.corp.example', dnsForest: 'example' });
  });

  it('an old-style 32-byte CHALLENGE (no TargetInfo) is read, with an empty TargetInfo', () => {
    const message = decodeChallenge(challengeWith({ flags: 0x00008205 }).subarray(0, 32));
    expect(message.serverChallenge.toString('hex')).toBe('0123456789abcdef');
    expect(message.targetInfo.length).toBe(0);
    expect(message.avPairs).toEqual([]);
  });
});

/** A CHALLENGE with its fields where a test wants them (offsets computed unless given). */
function challengeWith(parts: { targetName?: Buffer; targetInfo?: Buffer; flags?: number }): Buffer {
  const targetName = parts.targetName ?? Buffer.alloc(0);
  const targetInfo = parts.targetInfo ?? Buffer.alloc(4);
  const head = Buffer.alloc(48);
  head.write('NTLMSSP\0', 0, 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(targetName.length, 12);
  head.writeUInt16LE(targetName.length, 14);
  head.writeUInt32LE(48, 16);
  head.writeUInt32LE(parts.flags ?? 0x00818205, 20);
  hex('0123456789abcdef').copy(head, 24);
  head.writeUInt16LE(targetInfo.length, 40);
  head.writeUInt16LE(targetInfo.length, 42);
  head.writeUInt32LE(48 + targetName.length, 44);
  return Buffer.concat([head, targetName, targetInfo]);
}

/** The spec message with bytes overwritten at `at`. */
function patched(at: number, bytes: Buffer, base: Buffer = SPEC_CHALLENGE): Buffer {
  const copy = Buffer.from(base);
  bytes.copy(copy, at);
  return copy;
}

const u16 = (value: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
};
const u32 = (value: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
};

describe('a TargetName that cannot be read is reported, not fatal (the answer does not use it)', () => {
  /** What Squid 5.7's ntlm_fake_auth sends: an OEM "WORKGROUP" after a 40-byte header, its TargetName offset 0xaaaaaaae. */
  const SQUID_FAKE_AUTH = Buffer.from('TlRMTVNTUAACAAAACQAJAK6qqqoHggigY/P1wxKN3bkAAAAAAAA6AFdPUktHUk9VUA==', 'base64');

  it.each([
    ["Squid's ntlm_fake_auth", SQUID_FAKE_AUTH, 'TargetName: offset 2863311534 + length 9 is past the end of the CHALLENGE message (49 bytes)'],
    ['past the end', patched(16, u32(200)), 'TargetName: offset 200 + length 12 is past the end of the CHALLENGE message (104 bytes)'],
    ['inside the header', patched(16, u32(8)), "TargetName: offset 8 points into the message's fixed header (48 bytes)"],
    ['of odd length', patched(12, u16(11)), 'TargetName: 11 bytes is not whole UTF-16 characters'],
  ])('%s', (_name, bytes, problem) => {
    const message = decodeChallenge(bytes);
    expect(message.targetNameProblem).toBe(problem);
    expect(message.targetName).toBe('');
    // One short clause in the transcript and the timeline; the offsets stay in targetNameProblem.
    expect(decodeNtlmOffer(bytes.toString('base64')).problem).toBe("the challenge's target name is unreadable; not needed");
  });

  it("Squid's challenge: no TARGET_INFO, so no TargetInfo is read from the bytes where the name lies", () => {
    const message = decodeChallenge(SQUID_FAKE_AUTH);
    expect(message.targetInfo.length).toBe(0);
    expect(message.serverChallenge.toString('hex')).toBe('63f3f5c3128dddb9');
    expect(flagNames(message.flags)).toEqual(['UNICODE', 'OEM', 'REQUEST_TARGET', 'NTLM', 'ALWAYS_SIGN', 'EXTENDED_SESSIONSECURITY', '128', '56']);
  });
});

describe('a malformed CHALLENGE is an error naming the field', () => {
  const cases: [string, Buffer, string][] = [
    ['empty', Buffer.alloc(0), 'Signature: the CHALLENGE message is 0 bytes, too short to hold it (needs 8)'],
    ['not NTLMSSP', patched(0, Buffer.from('NTLMXXX\0', 'latin1')), 'Signature: the CHALLENGE message does not start with "NTLMSSP\\0"'],
    ['a NEGOTIATE instead', encodeNegotiate(NEGOTIATE_FLAGS), 'MessageType: expected 2 (CHALLENGE), got 1'],
    ['cut inside the fixed part', SPEC_CHALLENGE.subarray(0, 20), 'CHALLENGE: the message is 20 bytes, shorter than its 32-byte fixed part'],
    ['TARGET_INFO announced in a 40-byte message', patched(20, u32(0x00800201)).subarray(0, 40), 'TargetInfo: the flags announce it, but the message is 40 bytes, too short for its fields (needs 48)'],
    ['TargetInfo longer than the message', patched(40, u16(0x400)), 'TargetInfo: offset 68 + length 1024 is past the end of the CHALLENGE message (104 bytes)'],
    ['an AV pair longer than the TargetInfo', patched(68 + 2, u16(200)), 'TargetInfo: AV pair 1 (id 2) says 200 bytes, past the end of the 36-byte TargetInfo'],
    ['TargetInfo without MsvAvEOL', patched(40, u16(32)), 'TargetInfo: AV pair 3 at byte 32 is cut off (the list ends without MsvAvEOL)'],
    ['a NetBIOS name of odd length', challengeWith({ targetInfo: Buffer.concat([hex('02000300'), Buffer.from('abc'), Buffer.alloc(4)]) }), 'TargetInfo MsvAvNbDomainName: 3 bytes is not whole UTF-16 characters'],
    ['a timestamp of 4 bytes', challengeWith({ targetInfo: Buffer.concat([hex('07000400'), Buffer.alloc(4), Buffer.alloc(4)]) }), 'TargetInfo MsvAvTimestamp: is 4 bytes, not 8'],
  ];

  it.each(cases)('%s', (_name, bytes, expected) => {
    let thrown: unknown;
    try {
      const message = decodeChallenge(bytes);
      // Some problems show only when the AV pairs are read for the timeline or the response.
      describeChallenge(message);
      // The timestamp is read when the AUTHENTICATE is made.
      serverTimestamp(message.avPairs);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NtlmFormatError);
    expect(thrown instanceof Error ? thrown.message : '').toBe(expected);
  });

  it('a token that is not base64, and one that decodes to garbage, become offer problems', () => {
    expect(() => tokenBytes('not base64!')).toThrow('token: "not base64!" is not base64');
    expect(decodeNtlmOffer('abc!')).toEqual({ problem: 'malformed NTLM challenge: token: "abc!" is not base64' });
    expect(decodeNtlmOffer(Buffer.from('hello world, no NTLM').toString('base64'))).toEqual({
      problem: 'malformed NTLM challenge: Signature: the CHALLENGE message does not start with "NTLMSSP\\0"',
    });
  });

  it('random bytes never throw anything but NtlmFormatError', () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 2000; i += 1) {
      const bytes = Buffer.from(SPEC_CHALLENGE);
      // Flip a few bytes of the spec message, anywhere.
      for (let k = 0; k < 3; k += 1) bytes[next() % bytes.length] = next() % 256;
      const cut = bytes.subarray(0, next() % (bytes.length + 1));
      try {
        describeChallenge(decodeChallenge(cut));
      } catch (error) {
        expect(error).toBeInstanceOf(NtlmFormatError);
      }
    }
  });
});


describe('NEGOTIATE and AUTHENTICATE', () => {
  it('NEGOTIATE: 32 bytes, our flags, no domain or workstation', () => {
    const bytes = encodeNegotiate(NEGOTIATE_FLAGS);
    expect(bytes.length).toBe(32);
    expect(describeNegotiate(decodeNegotiate(bytes))).toEqual({
      type: 'negotiate',
      flags: ['UNICODE', 'OEM', 'REQUEST_TARGET', 'NTLM', 'ALWAYS_SIGN', 'EXTENDED_SESSIONSECURITY', '128', '56'],
    });
  });

  it('AUTHENTICATE: written to size and read back (Unicode names)', () => {
    const input = { flags: flagsOf('UNICODE', 'NTLM'), lmResponse: Buffer.alloc(24, 1), ntResponse: Buffer.alloc(60, 2), domain: 'CORP', user: 'Ålice', workstation: 'WS' };
    const bytes = encodeAuthenticate(input);
    expect(bytes.length).toBe(64 + 8 + 10 + 4 + 24 + 60);
    expect(decodeAuthenticate(bytes)).toEqual({ flags: input.flags, lmResponse: input.lmResponse, ntResponse: input.ntResponse, domain: 'CORP', user: 'Ålice', workstation: 'WS' });
  });

  it('AUTHENTICATE in OEM when the proxy did not choose Unicode; a non-ASCII name then is an error', () => {
    const bytes = encodeAuthenticate({ flags: flagsOf('OEM', 'NTLM'), lmResponse: Buffer.alloc(24), ntResponse: Buffer.alloc(48), domain: 'CORP', user: 'alice', workstation: '' });
    expect(decodeAuthenticate(bytes)).toMatchObject({ domain: 'CORP', user: 'alice' });
    expect(() => encodeAuthenticate({ flags: flagsOf('OEM'), lmResponse: Buffer.alloc(0), ntResponse: Buffer.alloc(0), domain: '', user: 'Ålice', workstation: '' })).toThrow(
      'UserName: the proxy does not accept Unicode names, and this one is not plain ASCII',
    );
  });

  it('reads the specification\'s AUTHENTICATE (4.2.4.4)', () => {
    const message = decodeAuthenticate(SPEC_AUTHENTICATE);
    expect({ domain: message.domain, user: message.user, workstation: message.workstation }).toEqual({ domain: 'Domain', user: 'User', workstation: 'COMPUTER' });
    expect(message.lmResponse.toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    expect(message.ntResponse.subarray(0, 16).toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(message.version).toEqual({ major: 5, minor: 1, build: 2600, revision: 15 });
  });

  it('AUTHENTICATE states only what both sides asked for: never SIGN, SEAL, KEY_EXCH or VERSION echoed', () => {
    expect(flagNames(authenticateFlags(0xe28a8233))).toEqual(['UNICODE', 'NTLM', 'ALWAYS_SIGN', 'EXTENDED_SESSIONSECURITY', '128', '56']);
    expect(flagNames(authenticateFlags(flagsOf('OEM')))).toEqual(['OEM', 'NTLM']);
  });
});
