/**
 * Who signs in with NTLM: the user name as typed (`CORP\alice`, `alice@corp.example`, `alice`)
 * and the connection's domain field, turned into the user and domain the messages carry.
 */

export interface NtlmIdentity {
  user: string;
  /** '' when there is none (a UPN, or a plain name without a domain field). */
  domain: string;
}

export type NtlmIdentityResult = { ok: true; identity: NtlmIdentity } | { ok: false; problem: string };

/**
 * `DOMAIN\user` splits at the first backslash (the domain in the name wins over the domain
 * field). `user@domain` (a UPN) goes whole as the user with an empty domain, as Windows itself
 * sends it: the domain controller resolves the UPN, whereas its DNS suffix is not always the
 * NetBIOS domain. A plain name takes the domain field.
 */
export function ntlmIdentity(username: string, domainField: string | undefined): NtlmIdentityResult {
  const backslash = username.indexOf('\\');
  if (backslash >= 0) {
    const domain = username.slice(0, backslash);
    const user = username.slice(backslash + 1);
    if (domain === '') return { ok: false, problem: `the user name "${username}" has nothing before its backslash (write DOMAIN\\user)` };
    if (user === '') return { ok: false, problem: `the user name "${username}" has nothing after its backslash (write DOMAIN\\user)` };
    if (user.includes('\\')) return { ok: false, problem: `the user name "${username}" has more than one backslash (write DOMAIN\\user)` };
    return { ok: true, identity: { user, domain } };
  }
  if (username === '') return { ok: false, problem: 'the user name is empty' };
  const at = username.lastIndexOf('@');
  if (at >= 0) {
    if (at === 0 || at === username.length - 1) return { ok: false, problem: `the user name "${username}" is not a whole user@domain name` };
    return { ok: true, identity: { user: username, domain: '' } };
  }
  return { ok: true, identity: { user: username, domain: domainField?.trim() ?? '' } };
}
