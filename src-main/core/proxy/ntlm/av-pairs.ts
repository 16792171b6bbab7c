/**
 * The AV pairs of an NTLM CHALLENGE's TargetInfo (MS-NLMP 2.2.2.1): what the server says about
 * itself (NetBIOS and DNS names, a timestamp), read with every length checked, and written back
 * into the NTLMv2 response.
 */
import { NtlmFormatError, utf16Text } from './ntlm-reader';

export const AV_ID = {
  EOL: 0,
  NB_COMPUTER_NAME: 1,
  NB_DOMAIN_NAME: 2,
  DNS_COMPUTER_NAME: 3,
  DNS_DOMAIN_NAME: 4,
  DNS_TREE_NAME: 5,
  FLAGS: 6,
  TIMESTAMP: 7,
  SINGLE_HOST: 8,
  TARGET_NAME: 9,
  CHANNEL_BINDINGS: 10,
} as const;

export interface AvPair {
  id: number;
  value: Buffer;
}

/** The names a support engineer reads off the TargetInfo. */
export interface TargetInfoNames {
  netbiosServer?: string;
  netbiosDomain?: string;
  dnsServer?: string;
  dnsDomain?: string;
  dnsForest?: string;
}

/** The pairs up to (not including) MsvAvEOL; a TargetInfo without its EOL is malformed. */
export function readAvPairs(targetInfo: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  let at = 0;
  for (;;) {
    if (at + 4 > targetInfo.length) {
      throw new NtlmFormatError('TargetInfo', `AV pair ${pairs.length + 1} at byte ${at} is cut off (the list ends without MsvAvEOL)`);
    }
    const id = targetInfo.readUInt16LE(at);
    const length = targetInfo.readUInt16LE(at + 2);
    if (id === AV_ID.EOL) return pairs;
    if (at + 4 + length > targetInfo.length) {
      throw new NtlmFormatError('TargetInfo', `AV pair ${pairs.length + 1} (id ${id}) says ${length} bytes, past the end of the ${targetInfo.length}-byte TargetInfo`);
    }
    pairs.push({ id, value: targetInfo.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
}

/** The NetBIOS and DNS names among the pairs (each checked as UTF-16). */
export function targetInfoNames(pairs: readonly AvPair[]): TargetInfoNames {
  const text = (id: number, what: string): string | undefined => {
    const pair = pairs.find((p) => p.id === id);
    return pair === undefined ? undefined : utf16Text(pair.value, `TargetInfo ${what}`);
  };
  const names: TargetInfoNames = {};
  const netbiosServer = text(AV_ID.NB_COMPUTER_NAME, 'MsvAvNbComputerName');
  const netbiosDomain = text(AV_ID.NB_DOMAIN_NAME, 'MsvAvNbDomainName');
  const dnsServer = text(AV_ID.DNS_COMPUTER_NAME, 'MsvAvDnsComputerName');
  const dnsDomain = text(AV_ID.DNS_DOMAIN_NAME, 'MsvAvDnsDomainName');
  const dnsForest = text(AV_ID.DNS_TREE_NAME, 'MsvAvDnsTreeName');
  if (netbiosServer !== undefined) names.netbiosServer = netbiosServer;
  if (netbiosDomain !== undefined) names.netbiosDomain = netbiosDomain;
  if (dnsServer !== undefined) names.dnsServer = dnsServer;
  if (dnsDomain !== undefined) names.dnsDomain = dnsDomain;
  if (dnsForest !== undefined) names.dnsForest = dnsForest;
  return names;
}

/** The server's MsvAvTimestamp (a FILETIME, 8 bytes), when it sent one. */
export function serverTimestamp(pairs: readonly AvPair[]): Buffer | undefined {
  const pair = pairs.find((p) => p.id === AV_ID.TIMESTAMP);
  if (pair === undefined) return undefined;
  if (pair.value.length !== 8) throw new NtlmFormatError('TargetInfo MsvAvTimestamp', `is ${pair.value.length} bytes, not 8`);
  return pair.value;
}
