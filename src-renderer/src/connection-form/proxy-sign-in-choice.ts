/**
 * The proxy sign-in scheme as the forms offer it (the tab's proxy row, the Retry with
 * credentials form, the profile editor): the contract's schemes with their labels, and when the
 * NTLM domain field applies.
 */
import { PROXY_AUTH_SCHEMES, type ProxyAuthScheme } from '../../../src-main/shared/model';

export const PROXY_AUTH_CHOICES: readonly ProxyAuthScheme[] = PROXY_AUTH_SCHEMES;

export const PROXY_AUTH_LABELS: Readonly<Record<ProxyAuthScheme, string>> = {
  auto: 'Auto',
  negotiate: 'Negotiate (Kerberos)',
  ntlm: 'NTLM',
  digest: 'Digest',
  basic: 'Basic',
};

export const PROXY_AUTH_TITLE =
  'Auto: the strongest scheme the proxy offers (Negotiate, NTLM, Digest, then Basic). Any other: only that one. Negotiate uses your Kerberos ticket (kinit), no password.';

/** The domain field is shown where NTLM may be used (NTLM, or Auto, which picks it when offered). */
/** Whether the Negotiate service principal field is shown: where Negotiate may be used. */
export function servicePrincipalApplies(scheme: ProxyAuthScheme): boolean {
  return scheme === 'negotiate' || scheme === 'auto';
}

export function domainApplies(scheme: ProxyAuthScheme): boolean {
  return scheme === 'ntlm' || scheme === 'auto';
}
