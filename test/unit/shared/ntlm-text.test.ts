import { describe, expect, it } from 'vitest';
import { authRoundLines } from '../../../src-main/shared/proxy-auth-text';

describe('an NTLM sign-in round in words', () => {
  it('the NEGOTIATE sent and the CHALLENGE offered: flags by name, what the proxy said about itself', () => {
    const lines = authRoundLines({
      round: 2,
      sent: { scheme: 'NTLM', ntlm: { type: 'negotiate', flags: ['UNICODE', 'NTLM'] } },
      offered: [{ scheme: 'NTLM', ntlm: { type: 'challenge', flags: ['UNICODE', 'TARGET_INFO'], targetName: 'CORP', netbiosDomain: 'CORP', netbiosServer: 'PROXY1', dnsDomain: 'corp.example', dnsServer: 'proxy1.corp.example', version: '10.0.17763' } }],
    });
    expect(lines).toEqual([
      'sign-in round 2: sent NTLM NEGOTIATE flags UNICODE NTLM',
      'sign-in round 2: the 407 offers NTLM CHALLENGE target "CORP" domain "CORP" server "PROXY1" DNS domain "corp.example" DNS server "proxy1.corp.example" version 10.0.17763 flags UNICODE TARGET_INFO',
    ]);
  });

  it('the AUTHENTICATE sent: who, which response; a malformed challenge says what is wrong', () => {
    expect(authRoundLines({ round: 3, sent: { scheme: 'NTLM', ntlm: { type: 'authenticate', flags: ['UNICODE'], user: 'alice', domain: 'CORP', workstation: '', response: 'NTLMv2' } } })).toEqual([
      'sign-in round 3: sent NTLM AUTHENTICATE user "alice" domain "CORP" NTLMv2 flags UNICODE',
    ]);
    expect(authRoundLines({ round: 2, offered: [{ scheme: 'NTLM', problem: 'malformed NTLM challenge: TargetInfo: offset 900 + length 36 is past the end of the CHALLENGE message (120 bytes)' }] })).toEqual([
      'sign-in round 2: the 407 offers NTLM (malformed NTLM challenge: TargetInfo: offset 900 + length 36 is past the end of the CHALLENGE message (120 bytes))',
    ]);
  });
});
