/** `--proxy-auth <scheme>` → the connection's proxy sign-in scheme; and the flag that mends a sign-in failure. */
import type { NetError } from '../shared/errors';
import { PROXY_AUTH_SCHEMES, type ProxyAuthScheme } from '../shared/model';
import { UsageError } from './usage-error';

export function parseProxyAuthFlag(value: string): ProxyAuthScheme {
  const lower = value.trim().toLowerCase();
  const scheme = PROXY_AUTH_SCHEMES.find((s) => s === lower);
  if (scheme !== undefined) return scheme;
  throw new UsageError(`--proxy-auth must be one of ${PROXY_AUTH_SCHEMES.join(', ')}, got "${value}"`, 'connect');
}

/** Where to put the proxy credentials so no other user sees them in `ps` (proxy-user-source.ts). */
export const PROXY_USER_HINT = '--proxy-user @<file> (a file holding user:password) or TUNNELSCOPE_PROXY_USER=user:password';

/**
 * The flag for an error's "enter the proxy credentials" action. A sign-in set to a scheme the
 * proxy does not offer (`authScheme` not among the `authSchemes` offered) is mended by the
 * scheme, not by credentials: `--proxy-auth auto`. Anything else: `--proxy-user`, said the way
 * that keeps the password out of the process list.
 */
export function proxyCredentialsFlag(error: NetError): string {
  const { authScheme, authSchemes } = error.details;
  const notOffered =
    error.code === 'PROXY_AUTH_UNSUPPORTED' && authScheme !== undefined && authSchemes !== undefined && !authSchemes.some((s) => s.toLowerCase() === authScheme.toLowerCase());
  return notOffered ? '--proxy-auth auto (or leave out --proxy-auth)' : PROXY_USER_HINT;
}
