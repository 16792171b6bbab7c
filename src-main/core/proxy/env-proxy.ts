/**
 * Environment mode: the proxy named by the usual variables, as curl and proxy-from-env read them.
 *
 * - `ws://` uses WS_PROXY, then HTTP_PROXY; `wss://` uses WSS_PROXY, then HTTPS_PROXY; then
 *   ALL_PROXY. For each name the lower-case variable wins over the upper-case one, and a
 *   variable set to '' counts as not set (proxy-from-env's `||`).
 * - NO_PROXY (no_proxy first) is decided by `proxy-from-env` itself. It looks up only
 *   `ws_proxy`/`wss_proxy` for ws URLs, so we choose the variable ourselves and ask it only
 *   whether NO_PROXY bypasses the target.
 * - A value without a scheme is an http:// proxy (curl's reading; proxy-from-env would use the
 *   target's scheme, which for ws:// is meaningless). A value that is not a proxy URL is an
 *   error naming the variable, never a silent DIRECT.
 *
 * Only entries that are own string properties of `env` count: a `__proto__` key, inherited
 * properties and non-string values are ignored, so a hostile table cannot inject a proxy.
 */
import { getProxyForUrl } from 'proxy-from-env';
import type { Route } from './proxy-endpoint';
import { parseProxyUrl } from './parse-proxy-url';

export type EnvTable = Readonly<Record<string, string | undefined>>;

export interface EnvProxyResult {
  /** The proxy (with the credentials its URL carried, if any) or direct. */
  route: Route;
  /** In words: "HTTPS_PROXY is set", "NO_PROXY entry `.corp` matched, …", "no proxy variable …". */
  reason: string;
  /** The variable that named the proxy, when one did (even if NO_PROXY then bypassed it). */
  variable?: string;
}

const PROXY_VARIABLES: Record<'ws' | 'wss', readonly string[]> = {
  ws: ['ws_proxy', 'WS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'],
  wss: ['wss_proxy', 'WSS_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'],
};

/** Throws NetFailure('resolve', 'PROXY_URL_INVALID') when the chosen variable is not a proxy URL. */
export function resolveFromEnvironment(targetUrl: string, env: EnvTable): EnvProxyResult {
  const target = new URL(targetUrl);
  const scheme = target.protocol === 'wss:' ? 'wss' : 'ws';
  const chosen = firstSet(env, PROXY_VARIABLES[scheme]);
  if (chosen === undefined) {
    return { route: { kind: 'direct' }, reason: `no proxy variable is set for ${scheme}://` };
  }
  if (noProxyBypasses(targetUrl, env)) {
    const noProxy = firstSet(env, ['no_proxy', 'NO_PROXY']);
    const what = noProxy === undefined ? 'NO_PROXY' : describeNoProxyMatch(noProxy.name, noProxy.value, target);
    return {
      route: { kind: 'direct' },
      reason: `${what}, so ${chosen.name} is not used`,
      variable: chosen.name,
    };
  }
  const proxy = parseProxyUrl(chosen.value, chosen.name);
  return { route: { kind: 'proxy', proxy }, reason: `${chosen.name} is set`, variable: chosen.name };
}

function firstSet(env: EnvTable, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = readVariable(env, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

function readVariable(env: EnvTable, name: string): string | undefined {
  if (!Object.hasOwn(env, name)) return undefined;
  const value: unknown = env[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * proxy-from-env's NO_PROXY decision for this URL. It reads `process.env` and takes no table,
 * so for the length of one synchronous call it is handed a table of its own: our NO_PROXY
 * values and a probe ALL_PROXY. It then answers '' exactly when NO_PROXY bypasses the target.
 * The call is synchronous, so no other code can observe the swapped `process.env`.
 */
function noProxyBypasses(targetUrl: string, env: EnvTable): boolean {
  const probe: NodeJS.ProcessEnv = Object.create(null);
  for (const name of ['no_proxy', 'NO_PROXY']) {
    const value = readVariable(env, name);
    if (value !== undefined) probe[name] = value;
  }
  probe.all_proxy = 'http://probe.invalid:1';
  const saved = process.env;
  try {
    process.env = probe;
    return getProxyForUrl(targetUrl) === '';
  } finally {
    process.env = saved;
  }
}

/**
 * Which NO_PROXY entry matched, for the reason text only (the decision is proxy-from-env's,
 * above). proxy-from-env does not say which entry matched, so this repeats its rules exactly
 * (v2.1.0, `shouldProxy`): the value is lower-cased; `*` alone matches everything; entries
 * are split on commas and white space; `host:port` must match the port (the scheme's default
 * when the URL has none); an entry starting with `.` or `*` matches by suffix (a leading `*`
 * dropped), any other entry only exactly; the host keeps an IPv6 address's brackets.
 */
function describeNoProxyMatch(variable: string, value: string, target: URL): string {
  const noProxy = value.toLowerCase();
  if (noProxy === '*') return `${variable} is \`*\``;
  const hostname = target.host.replace(/:\d*$/, '');
  const port = Number.parseInt(target.port, 10) || (target.protocol === 'wss:' ? 443 : 80);
  for (const entry of noProxy.split(/[,\s]/)) {
    if (entry !== '' && entryMatches(entry, hostname, port)) {
      return `${variable} entry \`${shorten(entry)}\` matched`;
    }
  }
  return `${variable} matched`;
}

function entryMatches(entry: string, hostname: string, port: number): boolean {
  const parsed = /^(.+):(\d+)$/.exec(entry);
  let entryHost = parsed?.[1] ?? entry;
  const entryPort = parsed?.[2] !== undefined ? Number.parseInt(parsed[2], 10) : 0;
  if (entryPort && entryPort !== port) return false;
  if (!/^[.*]/.test(entryHost)) return hostname === entryHost;
  if (entryHost.startsWith('*')) entryHost = entryHost.slice(1);
  return hostname.endsWith(entryHost);
}

function shorten(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
