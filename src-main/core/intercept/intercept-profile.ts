/**
 * An intercept run with a profile (`tunnelscope intercept --profile`, the app's Intercept page's
 * profile picker): the profile's way out — its proxy setting (PAC, system, manual, …), the proxy
 * sign-in (credentials, scheme, Negotiate's principal), the proxy's CA files, the servers' trust
 * (roots, CA files, the unsafe switch) and deadlines — taken from the options a connect with
 * that profile opens with (ProfileService.connection: the same decryption and checks), and its
 * own passthrough patterns, matched before the global list. The way out's `{{variables}}` (proxy
 * URL, PAC URL, proxy user name and domain) are filled from the profile's environment first, with
 * the same words as `connect --profile` for one that is missing.
 *
 * What does not come with it: the profile's server URL, headers, subprotocols and Origin (the
 * client brings its own), and its client certificate (it is for the profile's server: sent to
 * every intercepted server it would name the user to hosts that never asked).
 */
import type { ConnectionOptions } from '../../shared/model';
import { ValueRedactor } from '../capture/value-redactor';
import { PassthroughList, parsePassthroughPattern, type PassthroughPattern } from './passthrough-hosts';
import type { UpstreamChoice } from './upstream-options';

export interface InterceptProfile {
  id: string;
  name: string;
  /** The profile's way out, as the relays take it (deflate is the run's own). */
  route: Omit<UpstreamChoice, 'deflate'>;
  /** The way out in words, without credentials: `via http://proxy.corp:3128`. */
  upstreamText: string;
  /** The profile's patterns, each marked as the profile's. */
  passthrough: PassthroughList;
  /** What the run should say before it starts (its environment was deleted since). */
  notes: string[];
  /** The secret variables its way out used (kept out of every word shown of it). */
  secretValues: string[];
}

/**
 * `options`: the profile's, its way out's `{{variables}}` already filled in (Engine.interceptProfile,
 * core/variables/resolve-variables.ts resolveWayOut); `filled.secretValues` are kept out of the words.
 */
export function interceptProfileOf(
  profile: { id: string; name: string; interceptPassthrough?: readonly string[] | undefined },
  options: ConnectionOptions,
  filled: { notes?: readonly string[]; secretValues?: readonly string[] } = {},
): InterceptProfile {
  const { tls } = options;
  const route: Omit<UpstreamChoice, 'deflate'> = {
    proxy: options.proxy,
    ...(options.proxyAuth ? { proxyAuth: options.proxyAuth } : {}),
    ...(options.proxyAuthScheme !== undefined ? { proxyAuthScheme: options.proxyAuthScheme } : {}),
    ...(options.proxyAuthServicePrincipal !== undefined ? { proxyAuthServicePrincipal: options.proxyAuthServicePrincipal } : {}),
    proxyCaFiles: [...options.proxyCaFiles],
    tls: { caFiles: [...tls.caFiles], insecure: tls.insecure, ...(tls.trust !== undefined ? { trust: tls.trust } : {}) },
    ...(options.timeouts !== undefined ? { timeouts: options.timeouts } : {}),
  };
  const source = { list: 'profile' as const, profile: profile.name };
  const patterns = (profile.interceptPassthrough ?? []).map((text, index): PassthroughPattern => {
    // The profile's schema checked each one when it was saved or read; a pattern that no longer parses is the schema's bug.
    const parsed = parsePassthroughPattern(text);
    if (!parsed.ok) throw new Error(`profile "${profile.name}", interceptPassthrough[${index}]: ${parsed.problem}`);
    return { ...parsed.pattern, source };
  });
  const upstreamText = new ValueRedactor(filled.secretValues ?? []).text(routeText(options));
  return { id: profile.id, name: profile.name, route, upstreamText, passthrough: new PassthroughList(patterns), notes: [...(filled.notes ?? [])], secretValues: [...(filled.secretValues ?? [])] };
}

/** The profile's proxy setting in words (no credentials: a manual URL's user info is not kept in it). */
function routeText(options: ConnectionOptions): string {
  const { proxy } = options;
  switch (proxy.mode) {
    case 'manual':
      return withoutUserinfo(proxy.url);
    case 'pac':
      return proxy.source.kind === 'url' ? `PAC ${withoutUserinfo(proxy.source.url)}` : proxy.source.kind === 'file' ? `PAC file ${proxy.source.path}` : 'PAC script';
    case 'none':
      return 'none (direct)';
    case 'system':
      return 'the system settings';
    case 'env':
      return 'the proxy variables';
    default:
      return 'auto (the proxy variables, else the system settings, else direct)';
  }
}

function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
}
