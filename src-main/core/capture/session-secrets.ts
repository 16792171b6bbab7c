/**
 * The secret values one connection carries, collected where its options are known, so the
 * session can redact them by value wherever a server or proxy echoes them back: the proxy
 * password (options, manual proxy URL, a chosen proxy's credentials), credential header
 * values (marked secret or named like one), user info in the ws:// and PAC URLs, the client
 * key's passphrase, and the Basic token (`base64(user:password)`) each credential pair sends.
 */
import type { ConnectionOptions } from '../../shared/model';
import { looksLikeCredentialHeader } from '../../shared/secret-headers';
import type { Route } from '../proxy/proxy-endpoint';
import { tryParseProxyUrl } from '../proxy/parse-proxy-url';

interface Credentials {
  username: string;
  password: string;
}

/** The password, and the Basic token the pair becomes on the wire. */
export function credentialSecrets(credentials: Credentials): string[] {
  if (credentials.username === '' && credentials.password === '') return [];
  const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  return [credentials.password, basic];
}

/** `user:pass@` of a URL (percent-decoded) as a credential pair; undefined when it has none. */
function urlCredentials(raw: string): Credentials | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.password === '') return undefined;
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return { username: decode(url.username), password: decode(url.password) };
}

/** `Bearer abc` → [`Bearer abc`, `abc`]; a Basic token also gives its password. */
function headerValueSecrets(value: string): string[] {
  const out = [value];
  const scheme = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]+(\S+)\s*$/.exec(value);
  const credential = scheme?.[2];
  if (credential === undefined) return out;
  out.push(credential);
  if (scheme?.[1]?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) out.push(decoded.slice(colon + 1));
  }
  return out;
}

export function sessionSecretsOf(options: ConnectionOptions): string[] {
  const secrets: string[] = [];
  const add = (credentials: Credentials | undefined): void => {
    if (credentials) secrets.push(...credentialSecrets(credentials));
  };
  add(urlCredentials(options.url));
  add(options.proxyAuth);
  const proxy = options.proxy;
  if (proxy.mode === 'manual') {
    const parsed = tryParseProxyUrl(proxy.url);
    if (parsed.ok && parsed.endpoint.password !== undefined) {
      add({ username: parsed.endpoint.username ?? '', password: parsed.endpoint.password });
    }
    if (proxy.password !== undefined) add({ username: proxy.username ?? options.proxyAuth?.username ?? '', password: proxy.password });
  }
  if (proxy.mode === 'pac' && proxy.source.kind === 'url') add(urlCredentials(proxy.source.url));
  for (const header of options.headers) {
    if (header.secret === true || looksLikeCredentialHeader(header.name)) secrets.push(...headerValueSecrets(header.value));
  }
  if (options.tls.passphrase !== undefined) secrets.push(options.tls.passphrase);
  return secrets;
}

/** The credentials of the proxies a resolution chose (from the environment, a PAC answer …). */
export function routeSecrets(routes: readonly Route[]): string[] {
  const secrets: string[] = [];
  for (const route of routes) {
    if (route.kind === 'proxy' && route.proxy.password !== undefined) {
      secrets.push(...credentialSecrets({ username: route.proxy.username ?? '', password: route.proxy.password }));
    }
  }
  return secrets;
}
