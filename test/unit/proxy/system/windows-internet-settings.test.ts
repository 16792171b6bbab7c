// Windows's proxy settings from recorded `reg query` outputs: per-scheme and single ProxyServer, ProxyOverride with <local>, AutoConfigURL, AutoDetect, junk values.
import { describe, expect, it } from 'vitest';
import { CONNECTIONS_KEY, INTERNET_SETTINGS_KEY, parseInternetSettings, readWindowsSettings } from '../../../../src-main/core/proxy/system/windows-internet-settings';
import { SystemSettingsError } from '../../../../src-main/core/proxy/system/system-settings';
import { fixture } from './fixtures';

const HEADER = '\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n';

function values(...lines: string[]): string {
  return `${HEADER}${lines.map((line) => `    ${line}\r\n`).join('')}\r\n`;
}

describe('parseInternetSettings', () => {
  it('reads ProxyServer http=a:1;https=b:2;socks=c:3 (ftp= ignored) and ProxyOverride with <local> and wildcards', () => {
    const settings = parseInternetSettings(fixture('reg-per-scheme.txt'));
    expect(settings.manual).toMatchObject({
      http: { protocol: 'http', host: 'http-proxy.corp', port: 3128 },
      https: { protocol: 'http', host: 'proxy.corp', port: 8080 },
      socks: { protocol: 'socks5', host: 'socks.corp', port: 1080 },
      bypass: ['*.corp.example', '10.*'],
      bypassName: 'ProxyOverride',
      bypassSimpleNames: true,
    });
    expect(settings.summary).toBe('ProxyServer http http-proxy.corp:3128, https proxy.corp:8080, socks socks.corp:1080');
    expect(settings.notes).toEqual(['ProxyServer socks=socks.corp:1080 tried as SOCKS5']);
    expect(settings.autoDetect).toBe(false);
  });

  it('reads a single host:port as the proxy for http and https', () => {
    const settings = parseInternetSettings(fixture('reg-single.txt'));
    expect(settings.manual).toMatchObject({ http: { host: 'proxy.corp', port: 8080 }, https: { host: 'proxy.corp', port: 8080 }, bypass: [], bypassSimpleNames: true });
    expect(settings.manual?.socks).toBeUndefined();
  });

  it('reads AutoDetect and AutoConfigURL, and ignores a ProxyServer while ProxyEnable is 0', () => {
    const settings = parseInternetSettings(fixture('reg-auto.txt'));
    expect(settings).toMatchObject({
      autoDetect: true,
      pacUrl: 'http://wpad.corp.example/proxy.pac',
      summary: 'AutoDetect, AutoConfigURL http://wpad.corp.example/proxy.pac, ProxyServer set but ProxyEnable is 0',
    });
    expect(settings.manual).toBeUndefined();
  });

  it('reads a key without proxy values as no proxy', () => {
    expect(parseInternetSettings(values('User Agent    REG_SZ    Mozilla/4.0 (compatible; MSIE 8.0; Win32)', 'EmptyOne    REG_SZ'))).toMatchObject({ summary: 'no proxy set', autoDetect: false });
  });

  it('notes junk: values of the wrong type, ProxyServer entries it cannot use', () => {
    const settings = parseInternetSettings(
      values('ProxyEnable    REG_SZ    yes', 'AutoDetect    REG_DWORD    0xZZ', 'AutoConfigURL    REG_DWORD    0x1'),
    );
    expect(settings.notes).toEqual([
      'AutoDetect ignored: REG_DWORD "0xZZ" is not a REG_DWORD',
      'AutoConfigURL ignored: it is REG_DWORD, not a string',
      'ProxyEnable ignored: REG_SZ "yes" is not a REG_DWORD',
    ]);
    const junk = parseInternetSettings(values('ProxyEnable    REG_DWORD    0x1', 'ProxyServer    REG_SZ    gopher=g:1;https=bad host:1;http;=x:1;socks=s:0'));
    expect(junk.summary).toBe('ProxyServer with no usable entry');
    expect(junk.notes).toEqual([
      'ProxyServer entry "gopher=g:1" skipped: not http=, https= or socks=',
      expect.stringMatching(/^ProxyServer https= "bad host:1" skipped: a space is not allowed/),
      'ProxyServer entry "http" skipped: not http=, https= or socks=',
      'ProxyServer entry "=x:1" skipped: not http=, https= or socks=',
      expect.stringMatching(/^ProxyServer socks= "s:0" skipped: port 0 is not a port/),
    ]);
  });

  it('reads only the first key, not its subkeys, and value names in any case', () => {
    const text = `${values('proxyenable    REG_DWORD    0x1', 'PROXYSERVER    REG_SZ    proxy.corp:8080')}HKEY_CURRENT_USER\\...\\Internet Settings\\Connections\r\n    ProxyServer    REG_SZ    other.corp:1\r\n`;
    expect(parseInternetSettings(text).manual?.https).toMatchObject({ host: 'proxy.corp' });
  });

  it.each([
    ['an error message', 'ERROR: The system was unable to find the specified registry key or value.\r\n', /`reg query` printed no registry key: "ERROR: The system was unable/],
    ['empty output', '', /printed no registry key/],
    ['a value line it cannot read', values('ProxyEnable'), /`reg query` line "ProxyEnable" is not "Name  REG_TYPE  data"/],
  ])('throws a SystemSettingsError for %s', (_name, text, message) => {
    expect(() => parseInternetSettings(text)).toThrow(SystemSettingsError);
    expect(() => parseInternetSettings(text)).toThrow(message);
  });

  it('the runner queries the user\'s Internet Settings key and its DefaultConnectionSettings (missing is fine)', async () => {
    const calls: string[][] = [];
    const settings = await readWindowsSettings(async (file, args) => {
      calls.push([file, ...args]);
      if (args[1] === CONNECTIONS_KEY) throw new Error('ERROR: The system was unable to find the specified registry key or value.');
      return fixture('reg-single.txt');
    });
    expect(calls).toEqual([
      ['reg', 'query', INTERNET_SETTINGS_KEY],
      ['reg', 'query', `${INTERNET_SETTINGS_KEY}\\Connections`, '/v', 'DefaultConnectionSettings'],
    ]);
    expect(settings).toMatchObject({ autoDetect: false, notes: [] });
  });

  describe('"Automatically detect settings" in DefaultConnectionSettings', () => {
    const connections = (data: string, type = 'REG_BINARY'): string =>
      `\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections\r\n    DefaultConnectionSettings    ${type}    ${data}\r\n\r\n`;

    it.each([
      ['auto-detect and direct (0x09)', '4600000012000000090000000000000000000000', true],
      ['direct only (0x01)', '4600000012000000010000000000000000000000', false],
      ['proxy and auto-detect (0x0b)', '46000000120000000b0000000e00000070726f78792e636f72703a38303830', true],
    ])('%s', (_name, blob, expected) => {
      const settings = parseInternetSettings(fixture('reg-single.txt'), connections(blob));
      expect(settings.autoDetect).toBe(expected);
      if (expected) expect(settings.summary).toMatch(/^automatically detect settings \(DefaultConnectionSettings\), /);
      expect(settings.notes).toEqual([]);
    });

    it.each([
      ['too short', connections('46000000'), 'DefaultConnectionSettings ignored: REG_BINARY "46000000" is not its binary form'],
      ['not hex', connections('zz00000012000000090000'), 'DefaultConnectionSettings ignored: REG_BINARY "zz00000012000000090000" is not its binary form'],
      ['the wrong type', connections('9', 'REG_DWORD'), 'DefaultConnectionSettings ignored: REG_DWORD "9" is not its binary form'],
      ['not reg output', 'garbage', 'DefaultConnectionSettings ignored: `reg query` printed no registry key: "garbage"'],
    ])('junk (%s) is a note, and the rest still counts', (_name, text, note) => {
      const settings = parseInternetSettings(fixture('reg-single.txt'), text);
      expect(settings).toMatchObject({ autoDetect: false, notes: [note] });
      expect(settings.manual?.https).toMatchObject({ host: 'proxy.corp' });
    });
  });
});
