// KDE's proxy settings from recorded kioslaverc files: ProxyType 0..4, NoProxyFor, ReversedException, KConfig markers and odd sections.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kioslavercPath, parseKioslaverc, readKdeSettings } from '../../../../src-main/core/proxy/system/kde-settings';
import { SystemSettingsError } from '../../../../src-main/core/proxy/system/system-settings';
import { fixture } from './fixtures';

const PATH = '/home/u/.config/kioslaverc';

function withType(type: string, extra = ''): string {
  return fixture('kioslaverc-manual').replace('ProxyType=1', `ProxyType=${type}`) + extra;
}

describe('parseKioslaverc', () => {
  it('ProxyType 0 is no proxy, whatever else is filled in', () => {
    expect(parseKioslaverc(withType('0'), {}, PATH)).toEqual({ label: `KDE proxy settings (${PATH})`, summary: 'ProxyType 0 (no proxy)', autoDetect: false, notes: [] });
  });

  it('ProxyType 1 reads httpProxy, httpsProxy and socksProxy in KDE\'s "http://host port" form, and NoProxyFor', () => {
    const settings = parseKioslaverc(fixture('kioslaverc-manual'), {}, PATH);
    expect(settings.summary).toBe('ProxyType 1 (manual), httpProxy http-proxy.corp:3128, httpsProxy proxy.corp:8080, socksProxy socks.corp:1080');
    expect(settings.manual).toMatchObject({
      http: { protocol: 'http', host: 'http-proxy.corp', port: 3128 },
      https: { protocol: 'http', host: 'proxy.corp', port: 8080 },
      socks: { protocol: 'socks5', host: 'socks.corp', port: 1080 },
      bypass: ['localhost', '127.0.0.1', '.corp.example'],
      bypassName: 'NoProxyFor',
    });
    expect(settings.manual?.reversed).toBeUndefined();
  });

  it('ReversedException=true turns NoProxyFor into the only hosts that use the proxy', () => {
    const settings = parseKioslaverc(fixture('kioslaverc-manual').replace('ReversedException=false', 'ReversedException=true'), {}, PATH);
    expect(settings.manual?.reversed).toBe(true);
    expect(settings.summary).toContain('ReversedException (only NoProxyFor hosts use the proxy)');
  });

  it('ProxyType 2 is the PAC URL in "Proxy Config Script"', () => {
    const text = withType('2').replace('Proxy Config Script=', 'Proxy Config Script=http://wpad.corp.example/proxy.pac');
    expect(parseKioslaverc(text, {}, PATH)).toMatchObject({ pacUrl: 'http://wpad.corp.example/proxy.pac', autoDetect: false, summary: 'ProxyType 2 (PAC), Proxy Config Script http://wpad.corp.example/proxy.pac' });
  });

  it('ProxyType 2 without a script is an error naming the file and group', () => {
    expect(() => parseKioslaverc(withType('2'), {}, PATH)).toThrow(new SystemSettingsError(`${PATH} [Proxy Settings] has ProxyType 2 (PAC) but no "Proxy Config Script"`));
  });

  it('ProxyType 3 is WPAD', () => {
    expect(parseKioslaverc(withType('3'), {}, PATH)).toMatchObject({ autoDetect: true, summary: 'ProxyType 3 (WPAD)' });
  });

  it('ProxyType 4 reads the environment variables the entries name (the first set one of a list)', () => {
    const text = [
      '[Proxy Settings]',
      'ProxyType=4',
      'httpProxy=http_proxy,HTTP_PROXY',
      'httpsProxy=https_proxy,HTTPS_PROXY',
      'socksProxy=SOCKS_SERVER',
      'NoProxyFor=no_proxy',
    ].join('\n');
    const settings = parseKioslaverc(text, { HTTPS_PROXY: 'http://env-proxy.corp:8080', http_proxy: '', HTTP_PROXY: 'plain.corp:3128', no_proxy: 'localhost,.corp.example' }, PATH);
    expect(settings.summary).toBe('ProxyType 4 (environment variables), httpProxy plain.corp:3128, httpsProxy env-proxy.corp:8080');
    expect(settings.manual).toMatchObject({ bypass: ['localhost', '.corp.example'], https: { host: 'env-proxy.corp', port: 8080 } });
    expect(settings.manual?.socks).toBeUndefined();
  });

  it('reads an odd file: markers, translations, keys outside the group, nested groups, a line without "=", escapes, the last of a repeated key', () => {
    const settings = parseKioslaverc(fixture('kioslaverc-odd'), {}, PATH);
    expect(settings.manual?.https).toMatchObject({ host: 'proxy.corp', port: 8080 });
    expect(settings.manual?.http).toBeUndefined();
    expect(settings.manual?.bypass).toEqual(['.corp.example', 'localhost']);
    expect(settings.notes).toEqual([expect.stringMatching(/^socksProxy "socks:\/\/bad host 99999" skipped: /)]);
  });

  it('a file without [Proxy Settings] means no proxy', () => {
    expect(parseKioslaverc('[Cache Settings]\nCacheEnabled=true\n', {}, PATH).summary).toBe('ProxyType 0 (no proxy)');
    expect(parseKioslaverc('', {}, PATH).summary).toBe('ProxyType 0 (no proxy)');
  });

  it.each([['5'], ['one'], ['']])('ProxyType %j is an error naming the file', (type) => {
    expect(() => parseKioslaverc(withType(type), {}, PATH)).toThrow(SystemSettingsError);
    expect(() => parseKioslaverc(withType(type), {}, PATH)).toThrow(`${PATH} [Proxy Settings] ProxyType is ${JSON.stringify(type)}, not 0 to 4`);
  });

  it('a port 0 or beyond 65535 is skipped with a note', () => {
    const settings = parseKioslaverc(fixture('kioslaverc-manual').replace('proxy.corp 8080', 'proxy.corp 0').replace('socks.corp 1080', 'socks.corp 70000'), {}, PATH);
    expect(settings.manual?.https).toBeUndefined();
    expect(settings.manual?.socks).toBeUndefined();
    expect(settings.notes).toEqual(['httpsProxy "http://proxy.corp 0" skipped: its port is 0', 'socksProxy "socks://socks.corp 70000" skipped: its port is 70000']);
  });

  it('a file larger than 1 MiB is refused', () => {
    expect(() => parseKioslaverc('#'.repeat(1024 * 1024 + 1), {}, PATH)).toThrow(`${PATH} is larger than 1 MiB`);
  });
});

describe('readKdeSettings and kioslavercPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kioslaverc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds kioslaverc in XDG_CONFIG_HOME, else ~/.config (a relative XDG_CONFIG_HOME is ignored, as the spec says)', () => {
    expect(kioslavercPath({ XDG_CONFIG_HOME: '/x/conf' }, '/home/u')).toBe('/x/conf/kioslaverc');
    expect(kioslavercPath({}, '/home/u')).toBe('/home/u/.config/kioslaverc');
    expect(kioslavercPath({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config/kioslaverc');
  });

  it('reads the file', async () => {
    const path = join(dir, 'kioslaverc');
    writeFileSync(path, fixture('kioslaverc-manual'));
    expect((await readKdeSettings(path, {})).manual?.https).toMatchObject({ host: 'proxy.corp' });
  });

  it('a missing file is no proxy (KDE\'s default)', async () => {
    expect((await readKdeSettings(join(dir, 'missing'), {})).summary).toBe('none (the file does not exist)');
  });

  it('a folder in its place is an error naming the path', async () => {
    await expect(readKdeSettings(dir, {})).rejects.toThrow(`${dir} could not be read (EISDIR)`);
  });
});
