// macOS's proxy settings from recorded `scutil --proxy` outputs: HTTP/HTTPS/SOCKS, PAC, auto-discovery, exceptions, and output that is not scutil's.
import { describe, expect, it } from 'vitest';
import { parseScutilProxy, readMacosSettings } from '../../../../src-main/core/proxy/system/macos-scutil';
import { SystemSettingsError } from '../../../../src-main/core/proxy/system/system-settings';
import { fixture } from './fixtures';

describe('parseScutilProxy', () => {
  it('reads HTTPEnable/HTTPSEnable with their proxies, ExceptionsList and ExcludeSimpleHostnames (not the __SCOPED__ copies)', () => {
    const settings = parseScutilProxy(fixture('scutil-manual.txt'));
    expect(settings.summary).toBe('HTTPProxy http-proxy.corp:3128, HTTPSProxy proxy.corp:8080');
    expect(settings.manual).toMatchObject({
      http: { protocol: 'http', host: 'http-proxy.corp', port: 3128 },
      https: { protocol: 'http', host: 'proxy.corp', port: 8080 },
      bypass: ['*.local', '169.254/16', '*.corp.example'],
      bypassName: 'ExceptionsList',
      bypassSimpleNames: true,
    });
    // SOCKSEnable : 0 leaves the SOCKS proxy out.
    expect(settings.manual?.socks).toBeUndefined();
    expect(settings).toMatchObject({ autoDetect: false, notes: [] });
    expect(settings.pacUrl).toBeUndefined();
  });

  it('reads ProxyAutoConfigEnable with its URL and ProxyAutoDiscoveryEnable', () => {
    const settings = parseScutilProxy(fixture('scutil-auto.txt'));
    expect(settings).toMatchObject({
      summary: 'ProxyAutoDiscoveryEnable, ProxyAutoConfigURLString http://wpad.corp.example/proxy.pac',
      autoDetect: true,
      pacUrl: 'http://wpad.corp.example/proxy.pac',
    });
    expect(settings.manual).toBeUndefined();
  });

  it('reads nothing enabled as no proxy', () => {
    expect(parseScutilProxy(fixture('scutil-none.txt'))).toEqual({ label: 'macOS proxy settings (scutil --proxy)', summary: 'no proxy enabled', autoDetect: false, notes: [] });
  });

  it('reads SOCKSEnable', () => {
    const settings = parseScutilProxy(fixture('scutil-manual.txt').replace('SOCKSEnable : 0', 'SOCKSEnable : 1'));
    expect(settings.manual?.socks).toMatchObject({ protocol: 'socks5', host: 'socks.corp', port: 1080 });
  });

  it('notes an enabled proxy without a host, a port that is not a port, and PAC enabled without a URL', () => {
    const text = fixture('scutil-manual.txt')
      .replace('  HTTPProxy : http-proxy.corp\n', '')
      .replace('HTTPSPort : 8080', 'HTTPSPort : 80x80')
      .replace('ProxyAutoConfigEnable : 0', 'ProxyAutoConfigEnable : 1');
    const settings = parseScutilProxy(text);
    expect(settings.notes).toEqual([
      'HTTPEnable is 1 but HTTPProxy is not set',
      'HTTPSProxy "proxy.corp" skipped: HTTPSPort is "80x80"',
      'ProxyAutoConfigEnable is 1 but ProxyAutoConfigURLString is not set',
    ]);
    expect(settings.manual).toBeUndefined();
  });

  it.each([
    ['an empty output', '', /printed "" where a <dictionary> should start/],
    ['an error message', 'scutil: command not found\n', /printed "scutil: command not found" where a <dictionary> should start/],
    ['a line that is not Key : value', '<dictionary> {\n  HTTPEnable 1\n}\n', /line 2 is not "Key : value": "HTTPEnable 1"/],
    ['a missing closing brace', '<dictionary> {\n  HTTPEnable : 1\n', /ends inside a block/],
    ['text after the end', '<dictionary> {\n}\nHTTPEnable : 1\n', /printed more after its dictionary ended \(line 3\)/],
  ])('throws a SystemSettingsError for %s', (_name, text, message) => {
    expect(() => parseScutilProxy(text)).toThrow(SystemSettingsError);
    expect(() => parseScutilProxy(text)).toThrow(message);
  });

  it('the runner asks `scutil --proxy`', async () => {
    const calls: string[][] = [];
    await readMacosSettings(async (file, args) => {
      calls.push([file, ...args]);
      return fixture('scutil-none.txt');
    });
    expect(calls).toEqual([['scutil', '--proxy']]);
  });
});
