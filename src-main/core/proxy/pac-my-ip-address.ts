/**
 * PAC's myIpAddress() without network traffic. pac-resolver's own opens a TCP connection to
 * 8.8.8.8:53 and waits for it: behind a corporate firewall that drops it, the wait outlasts our
 * PAC deadline, so every PAC file that asks `isInNet(myIpAddress(), …)` (corporate ones often
 * do) would fail exactly where PAC is used. Like Chromium, we ask the kernel which source
 * address it would use towards a public address: a UDP "connect" picks the route and sends
 * nothing. Without a route (offline), the first external IPv4 interface; then 127.0.0.1.
 */
import dgram from 'node:dgram';
import os from 'node:os';

/** Only used to pick a route: no packet is ever sent to it. */
const DEFAULT_ROUTE_PROBE = '8.8.8.8';
const PROBE_TIMEOUT_MS = 200;

/** The first IPv4 address of an interface that is not loopback or link-local. */
export function firstExternalIpv4(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string | undefined {
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.')) return info.address;
    }
  }
  return undefined;
}

/** The local address the kernel would send from towards `address` (undefined: no route). */
export function sourceAddressTowards(address: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    let settled = false;
    const finish = (value: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.once('error', () => finish(undefined));
    socket.connect(53, address, () => {
      const local = socket.address().address;
      finish(local && local !== '0.0.0.0' ? local : undefined);
    });
  });
}

/** What myIpAddress() answers in a PAC script. */
export async function myIpAddress(routeProbe: string = DEFAULT_ROUTE_PROBE): Promise<string> {
  return (await sourceAddressTowards(routeProbe)) ?? firstExternalIpv4() ?? '127.0.0.1';
}
