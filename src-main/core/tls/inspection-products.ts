/**
 * TLS-inspecting gateways and debugging proxies, recognized by the names their CAs carry.
 * To add one: a display name and a pattern matched against an issuer or subject as
 * "CN=…, O=…, OU=…". Patterns are narrow on purpose: a public CA run by the same company
 * (Symantec's old server CAs, Cisco's own) must not be named an inspection product.
 */

export interface InspectionProduct {
  name: string;
  pattern: RegExp;
}

export const INSPECTION_PRODUCTS: readonly InspectionProduct[] = [
  { name: 'Zscaler', pattern: /zscaler/i },
  { name: 'Netskope', pattern: /netskope/i },
  { name: 'McAfee/Skyhigh', pattern: /mcafee web gateway|skyhigh|\bO=McAfee\b/i },
  { name: 'Blue Coat/Symantec', pattern: /blue ?coat|proxysg|symantec web (?:gateway|security)|\bO=Symantec Corporation, OU=Web Security\b/i },
  { name: 'Palo Alto Networks', pattern: /palo ?alto/i },
  { name: 'Fortinet', pattern: /fortinet|fortigate|fortiproxy/i },
  { name: 'Cisco', pattern: /cisco umbrella|opendns|ironport|cisco (?:secure web|web security)/i },
  { name: 'Sophos', pattern: /sophos/i },
  { name: 'Forcepoint', pattern: /forcepoint|websense/i },
  { name: 'mitmproxy', pattern: /mitmproxy/i },
  { name: 'Fiddler', pattern: /fiddler/i },
  { name: 'Charles', pattern: /charles proxy|charlesproxy/i },
  { name: 'Burp Suite', pattern: /portswigger|burp ?suite|\bCN=burp\b/i },
  { name: 'HTTP Toolkit', pattern: /http ?toolkit/i },
];

/** The product a distinguished name belongs to, if the table knows it. */
export function inspectionProductOf(name: string, table: readonly InspectionProduct[] = INSPECTION_PRODUCTS): string | undefined {
  return table.find((product) => product.pattern.test(name))?.name;
}
