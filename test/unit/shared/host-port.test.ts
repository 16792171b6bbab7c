import { describe, expect, it } from 'vitest';
import { bracketHost, formatHostPort } from '../../../src-main/shared/host-port';

describe('host-port', () => {
  it('writes a name or an IPv4 address as it is', () => {
    expect(formatHostPort('example.com', 443)).toBe('example.com:443');
    expect(formatHostPort('127.0.0.1', 8080)).toBe('127.0.0.1:8080');
    expect(bracketHost('example.com')).toBe('example.com');
  });

  it('puts an IPv6 address in brackets, once', () => {
    expect(formatHostPort('::1', 8080)).toBe('[::1]:8080');
    expect(formatHostPort('fe80::1%eth0', 80)).toBe('[fe80::1%eth0]:80');
    expect(formatHostPort('[::1]', 8080)).toBe('[::1]:8080');
    expect(bracketHost('::ffff:127.0.0.1')).toBe('[::ffff:127.0.0.1]');
  });
});
