/** myIpAddress() for PAC scripts: the route's source address, else an external interface, else 127.0.0.1. */
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { firstExternalIpv4, myIpAddress, sourceAddressTowards } from '../../../src-main/core/proxy/pac-my-ip-address';

function v4(address: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` };
}
function v6(address: string): NetworkInterfaceInfo {
  return { address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal: false, cidr: `${address}/64`, scopeid: 0 };
}

describe('firstExternalIpv4', () => {
  it('skips loopback, link-local and IPv6', () => {
    expect(firstExternalIpv4({ lo: [v4('127.0.0.1', true)], eth0: [v6('fe80::1'), v4('169.254.3.4'), v4('10.20.30.40')] })).toBe('10.20.30.40');
  });

  it('is undefined with no external IPv4 address', () => {
    expect(firstExternalIpv4({ lo: [v4('127.0.0.1', true)], wlan0: [v6('2001:db8::5')], none: undefined })).toBeUndefined();
  });
});

describe('sourceAddressTowards', () => {
  it('names the local address of the route (127.0.0.1 towards 127.0.0.1)', async () => {
    expect(await sourceAddressTowards('127.0.0.1')).toBe('127.0.0.1');
  });

  it('is undefined for an address the IPv4 socket cannot reach (no lookup, no throw)', async () => {
    expect(await sourceAddressTowards('::1', 300)).toBeUndefined();
  });
});

describe('myIpAddress', () => {
  it('answers the route source address', async () => {
    expect(await myIpAddress('127.0.0.1')).toBe('127.0.0.1');
  });

  it('still answers an address when the probe cannot be routed', async () => {
    expect(await myIpAddress('::1')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});
