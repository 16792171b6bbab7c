import { describe, expect, it } from 'vitest';
import { ntlmIdentity } from '../../../../src-main/core/proxy/ntlm/ntlm-user';

describe('the NTLM user and domain from what was typed', () => {
  it.each([
    ['CORP\\alice', undefined, { user: 'alice', domain: 'CORP' }],
    ['CORP\\alice', 'OTHER', { user: 'alice', domain: 'CORP' }],
    ['alice@corp.example', 'CORP', { user: 'alice@corp.example', domain: '' }],
    ['alice', 'CORP', { user: 'alice', domain: 'CORP' }],
    ['alice', ' CORP ', { user: 'alice', domain: 'CORP' }],
    ['alice', undefined, { user: 'alice', domain: '' }],
  ])('%s with domain field %s', (username, domain, identity) => {
    expect(ntlmIdentity(username, domain)).toEqual({ ok: true, identity });
  });

  it.each([
    ['\\alice', 'the user name "\\alice" has nothing before its backslash (write DOMAIN\\user)'],
    ['CORP\\', 'the user name "CORP\\" has nothing after its backslash (write DOMAIN\\user)'],
    ['A\\B\\c', 'the user name "A\\B\\c" has more than one backslash (write DOMAIN\\user)'],
    ['@corp', 'the user name "@corp" is not a whole user@domain name'],
    ['alice@', 'the user name "alice@" is not a whole user@domain name'],
    ['', 'the user name is empty'],
  ])('%s is refused', (username, problem) => {
    expect(ntlmIdentity(username, undefined)).toEqual({ ok: false, problem });
  });
});
