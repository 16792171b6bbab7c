/**
 * How the trust setting, the store a chain was trusted through and an interception are said
 * in words — one wording for the CLI transcript and the UI.
 */
import type { TlsInterception, TrustSetting, TrustSource } from './model';

/** "the OS store", as in "trusted through the OS store". */
export function trustSourceText(source: TrustSource): string {
  switch (source) {
    case 'mozilla':
      return "Mozilla's roots";
    case 'os':
      return 'the OS store';
    case 'ca-file':
      return 'your CA file';
    case 'proxy-ca':
      return 'the proxy CA file';
  }
}

/** The setting's label in menus and the transcript. */
export function trustSettingText(setting: TrustSetting): string {
  switch (setting) {
    case 'mozilla+os':
      return 'Mozilla + OS';
    case 'mozilla':
      return 'Mozilla only';
    case 'ca-files':
      return 'only my CA files';
  }
}

/** The badge: "TLS intercepted by mitmproxy (CN=mitmproxy, O=mitmproxy)". */
export function interceptionLabel(interception: TlsInterception): string {
  return `TLS intercepted by ${interception.product ?? 'an unlisted gateway'} (${interception.issuer})`;
}
