/**
 * `--proxy-auth <scheme>` → the connection's proxy sign-in scheme. Negotiate and NTLM are
 * named in the list of schemes but not built yet: they are refused by name, so a user
 * who asks for them learns that, not that the word is unknown.
 */
import { PROXY_AUTH_SCHEMES, type ProxyAuthScheme } from '../shared/model';
import { UsageError } from './usage-error';

const NOT_YET = ['negotiate', 'ntlm'];

export function parseProxyAuthFlag(value: string): ProxyAuthScheme {
  const lower = value.trim().toLowerCase();
  const scheme = PROXY_AUTH_SCHEMES.find((s) => s === lower);
  if (scheme !== undefined) return scheme;
  const choices = `${PROXY_AUTH_SCHEMES.join(', ')}`;
  if (NOT_YET.includes(lower)) throw new UsageError(`--proxy-auth ${lower}: not supported yet (use one of ${choices})`, 'connect');
  throw new UsageError(`--proxy-auth must be one of ${choices}, got "${value}"`, 'connect');
}
