/** `--proxy-auth <scheme>` → the connection's proxy sign-in scheme. */
import { PROXY_AUTH_SCHEMES, type ProxyAuthScheme } from '../shared/model';
import { UsageError } from './usage-error';

export function parseProxyAuthFlag(value: string): ProxyAuthScheme {
  const lower = value.trim().toLowerCase();
  const scheme = PROXY_AUTH_SCHEMES.find((s) => s === lower);
  if (scheme !== undefined) return scheme;
  throw new UsageError(`--proxy-auth must be one of ${PROXY_AUTH_SCHEMES.join(', ')}, got "${value}"`, 'connect');
}
