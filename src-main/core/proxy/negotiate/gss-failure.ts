/**
 * A GSSAPI (or SSPI) failure in words and a code: the library's text is "<major>: <minor>", and
 * the minor part (MIT krb5, Heimdal) names the actual cause. Read here once, so every failure
 * that means "run kinit" says so and names the credentials cache that was looked at.
 */
import type { ErrorCode, NetErrorDetails } from '../../../shared/errors';
import { NetFailure } from '../../errors/net-failure';

export interface GssCause {
  code: Extract<ErrorCode, `KERBEROS_${string}`>;
  message: string;
  /** The credentials cache the library named, when it named one. */
  credentialsCache?: string;
}

/** `(default cache: FILE:/tmp/krb5cc_1000)`, `(filename: /tmp/krb5cc_0)`, `(ccache: …)`. */
function cacheIn(text: string): string | undefined {
  const named = /\((?:default cache|filename|ccache|cache):\s*([^)]*)\)/i.exec(text)?.[1]?.trim();
  return named === undefined || named === '' ? undefined : named;
}

/** True when the text says there are no usable credentials without saying why (SPNEGO's wording). */
export function isVagueNoCredentials(text: string): boolean {
  return /SPNEGO cannot find mechanisms to negotiate/i.test(text) || (/No credentials were supplied/i.test(text) && cacheIn(text) === undefined && !/expired/i.test(text));
}

/** The cause a GSSAPI message names; `spn` is the principal asked for, in the words of the transcript. */
export function gssCause(text: string, spn: string): GssCause {
  const cache = cacheIn(text);
  const inCache = cache === undefined ? '' : ` in the credentials cache ${cache}`;
  const withCache = cache === undefined ? {} : { credentialsCache: cache };
  if (/ticket expired|credentials have expired|Credentials cache.*expired|KRB5KRB_AP_ERR_TKT_EXPIRED/i.test(text)) {
    return { code: 'KERBEROS_NO_TICKET', message: `The Kerberos ticket${inCache} has expired: run kinit to get a new one.`, ...withCache };
  }
  if (/No Kerberos credentials available|No credentials cache found|Can't find client principal|SEC_E_NO_CREDENTIALS|No credentials were supplied/i.test(text)) {
    const where = cache === undefined ? '' : ` (looked in ${cache})`;
    return { code: 'KERBEROS_NO_TICKET', message: `No Kerberos ticket${where}: run kinit to get one.`, ...withCache };
  }
  const server = /Server (\S+) not found in Kerberos database/i.exec(text)?.[1];
  // krbtgt/OTHER@HOME: the host's domain put the principal in a realm this KDC has no path to.
  const crossRealm = server === undefined ? undefined : /^krbtgt\/([^@]+)@(.+)$/.exec(server);
  if (crossRealm) {
    const [, other = '', home = ''] = crossRealm;
    return {
      code: 'KERBEROS_UNKNOWN_SPN',
      message: `The Kerberos KDC of ${home} cannot issue a ticket for ${spn}: the host's domain puts it in the realm ${other}, which ${home} has no path to (${server ?? ''} not found).`,
    };
  }
  if (server !== undefined || /SEC_E_TARGET_UNKNOWN|not found in Kerberos database/i.test(text)) {
    return {
      code: 'KERBEROS_UNKNOWN_SPN',
      message: `The Kerberos KDC does not know the service principal ${server ?? spn}${server !== undefined ? ` (asked for as ${spn})` : ''}.`,
    };
  }
  if (/Clock skew too great|SEC_E_TIME_SKEW/i.test(text)) {
    return { code: 'KERBEROS_CLOCK_SKEW', message: "This machine's clock and the Kerberos KDC's differ by more than Kerberos allows." };
  }
  const realm = /(?:Cannot contact any KDC|Cannot find KDC) for (?:requested )?realm "?'?([^"']+)'?"?/i.exec(text)?.[1];
  if (realm !== undefined || /Cannot resolve network address for KDC|SEC_E_NO_AUTHENTICATING_AUTHORITY/i.test(text)) {
    return { code: 'KERBEROS_KDC_UNREACHABLE', message: `No Kerberos KDC${realm !== undefined ? ` for the realm ${realm}` : ''} could be reached.` };
  }
  return { code: 'KERBEROS_FAILED', message: `The Kerberos library could not make a token for ${spn}: ${text}` };
}

/** The failure that ends the sign-in, with the library's own words kept in the details. */
export function kerberosFailure(cause: GssCause, spn: string, libraryText: string, details: NetErrorDetails): NetFailure {
  return NetFailure.of(
    'tunnel',
    cause.code,
    {
      ...details,
      authScheme: 'Negotiate',
      servicePrincipal: spn,
      ...(cause.credentialsCache !== undefined ? { credentialsCache: cause.credentialsCache } : {}),
      causeMessage: libraryText,
    },
    { message: cause.message },
  );
}
