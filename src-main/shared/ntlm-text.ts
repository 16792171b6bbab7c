/**
 * An NTLM message in words for the transcript and the timeline: which message, who signed in,
 * what the proxy said about itself, the flags by name. Never a hash or a challenge.
 */
import type { NtlmMessageInfo } from './model';

const TYPE_WORDS: Record<NtlmMessageInfo['type'], string> = { negotiate: 'NEGOTIATE', challenge: 'CHALLENGE', authenticate: 'AUTHENTICATE' };

export function ntlmMessageText(info: NtlmMessageInfo): string {
  const parts = [`NTLM ${TYPE_WORDS[info.type]}`];
  const quoted = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') parts.push(`${label} "${value}"`);
  };
  if (info.type === 'authenticate') {
    quoted('user', info.user);
    parts.push(info.domain !== undefined && info.domain !== '' ? `domain "${info.domain}"` : 'no domain');
    quoted('workstation', info.workstation);
    if (info.response !== undefined) parts.push(info.response);
  } else {
    quoted('target', info.targetName);
    quoted('domain', info.netbiosDomain);
    quoted('server', info.netbiosServer);
    quoted('DNS domain', info.dnsDomain);
    quoted('DNS server', info.dnsServer);
    quoted('forest', info.dnsForest);
    quoted('domain', info.domain);
    quoted('workstation', info.workstation);
  }
  if (info.version !== undefined) parts.push(`version ${info.version}`);
  parts.push(info.flags.length > 0 ? `flags ${info.flags.join(' ')}` : 'no flags');
  return parts.join(' ');
}
