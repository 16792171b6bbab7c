/**
 * The NTLMv2 computation against the published test vectors of MS-NLMP section 4.2.4: user
 * "User", domain "Domain", password "Password", server challenge 0123456789abcdef, client
 * challenge aaaaaaaaaaaaaaaa, time 0, and the CHALLENGE message of 4.2.4.3 (whose AV pairs are
 * MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server"). The expected values are the
 * specification's, copied here as constants; nothing below derives them from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { decodeAuthenticate, decodeChallenge } from '../../../../src-main/core/proxy/ntlm/ntlm-messages';
import { NtlmSignIn } from '../../../../src-main/core/proxy/ntlm/ntlm-sign-in';
import { fileTime, ntlmv2Response, ntowfv2 } from '../../../../src-main/core/proxy/ntlm/ntlmv2-response';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** 4.2.4.3: the CHALLENGE message. */
const SPEC_CHALLENGE = hex(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
  24002400 44000000 060070170000000f
  53006500720076006500720002000c0044006f006d00610069006e0001000c0053006500720076006500720000000000`);

/** 4.2.4.1.1 NTOWFv2("Password", "User", "Domain"). */
const SPEC_NTOWFV2 = '0c868a403bfd7a93a3001ef22ef02e3f';
/** 4.2.4.1.2 SessionBaseKey. */
const SPEC_SESSION_BASE_KEY = '8de40ccadbc14a82f15cb0ad0de95ca3';
/** 4.2.4.2.1 LMv2 response. */
const SPEC_LMV2 = '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa';
/** 4.2.4.2.2 NTLMv2 response: NTProofStr, then temp. */
const SPEC_NTPROOFSTR = '68cd0ab851e51c96aabc927bebef6a1c';
const SPEC_TEMP = '01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c005300650072007600650072000000000000000000';

/** Epoch milliseconds of FILETIME 0 (1601-01-01), the specification's "Time". */
const FILETIME_ZERO_MS = -11_644_473_600_000;

describe('MS-NLMP 4.2.4 NTLMv2 vectors', () => {
  it('NTOWFv2 (4.2.4.1.1)', () => {
    expect(ntowfv2('Password', 'User', 'Domain').toString('hex')).toBe(SPEC_NTOWFV2);
  });

  it('the LMv2 and NTLMv2 responses and the session base key (4.2.4.1.2, 4.2.4.2)', () => {
    const challenge = decodeChallenge(SPEC_CHALLENGE);
    const response = ntlmv2Response({
      responseKey: hex(SPEC_NTOWFV2),
      serverChallenge: challenge.serverChallenge,
      clientChallenge: hex('aaaaaaaaaaaaaaaa'),
      time: Buffer.alloc(8),
      targetInfo: challenge.targetInfo,
    });
    expect(response.lmResponse.toString('hex')).toBe(SPEC_LMV2);
    expect(response.ntProofStr.toString('hex')).toBe(SPEC_NTPROOFSTR);
    expect(response.ntResponse.toString('hex')).toBe(SPEC_NTPROOFSTR + SPEC_TEMP);
    expect(response.sessionBaseKey.toString('hex')).toBe(SPEC_SESSION_BASE_KEY);
  });

  it('the whole sign-in: the AUTHENTICATE message answering 4.2.4.3 carries the spec responses and names', async () => {
    const signIn = new NtlmSignIn({ username: 'Domain\\User', password: 'Password', now: () => FILETIME_ZERO_MS, randomBytes: () => hex('aaaaaaaaaaaaaaaa'), workstation: 'COMPUTER' });
    expect((await signIn.first({})).kind).toBe('send');
    const answer = await signIn.next(SPEC_CHALLENGE.toString('base64'), {});
    if (answer.kind !== 'send') throw new Error(`expected an AUTHENTICATE, got ${answer.kind}`);
    expect(answer.header.startsWith('NTLM ')).toBe(true);
    const message = decodeAuthenticate(Buffer.from(answer.header.slice(5), 'base64'));
    expect(message.lmResponse.toString('hex')).toBe(SPEC_LMV2);
    expect(message.ntResponse.toString('hex')).toBe(SPEC_NTPROOFSTR + SPEC_TEMP);
    expect({ user: message.user, domain: message.domain, workstation: message.workstation }).toEqual({ user: 'User', domain: 'Domain', workstation: 'COMPUTER' });
    expect(answer.sent).toEqual({
      scheme: 'NTLM',
      ntlm: {
        type: 'authenticate',
        // Both sides' flags only: no SIGN, SEAL, KEY_EXCH, VERSION or TARGET_INFO echoed from the proxy.
        flags: ['UNICODE', 'NTLM', 'ALWAYS_SIGN', 'EXTENDED_SESSIONSECURITY', '128', '56'],
        domain: 'Domain',
        user: 'User',
        workstation: 'COMPUTER',
        response: 'NTLMv2',
      },
    });
  });

  it('FILETIME is exact to the 100 ns tick for today\'s dates (a float would lose the last digits)', () => {
    // 2003-06-17 10:00:00 UTC, the worked example of the davenport NTLM write-up: 127003176000000000.
    expect(fileTime(1_055_844_000_000).toString('hex')).toBe('0090d336b734c301');
    expect(fileTime(1_055_844_000_001).readBigUInt64LE()).toBe(127_003_176_000_010_000n);
    expect(fileTime(FILETIME_ZERO_MS)).toEqual(Buffer.alloc(8));
  });
});
