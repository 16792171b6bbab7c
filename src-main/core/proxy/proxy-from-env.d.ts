// proxy-from-env ships no type declarations; this is the one function it exports (v2.1.0).
declare module 'proxy-from-env' {
  /**
   * The proxy URL for `url` from the *_PROXY and NO_PROXY variables of `process.env`, or ''
   * for none. Never throws.
   */
  export function getProxyForUrl(url: string | URL | { protocol?: string; host?: string; port?: string }): string;
}
