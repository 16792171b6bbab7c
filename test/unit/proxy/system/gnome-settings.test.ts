// GNOME's proxy settings from recorded `gsettings` outputs: modes none/manual/auto, ignore-hosts, a SOCKS host, and garbled answers.
import { describe, expect, it } from 'vitest';
import { readGnomeSettings, type GsettingsGet } from '../../../../src-main/core/proxy/system/gnome-settings';
import { SystemSettingsError } from '../../../../src-main/core/proxy/system/system-settings';
import { fixture, recordedGsettings } from './fixtures';

describe('readGnomeSettings', () => {
  it('reads manual mode: the http, https and socks proxies and ignore-hosts, never the authentication keys', async () => {
    const asked: string[] = [];
    const settings = await readGnomeSettings(recordedGsettings(fixture('gnome-manual.txt'), asked));
    expect(settings.summary).toBe('manual, http-proxy http-proxy.corp:3128, https-proxy proxy.corp:8080, socks-proxy socks.corp:1080');
    expect(settings.manual?.https).toMatchObject({ protocol: 'http', host: 'proxy.corp', port: 8080 });
    expect(settings.manual?.http).toMatchObject({ protocol: 'http', host: 'http-proxy.corp', port: 3128 });
    expect(settings.manual?.socks).toMatchObject({ protocol: 'socks5', host: 'socks.corp', port: 1080 });
    expect(settings.manual?.bypass).toEqual(['localhost', '127.0.0.0/8', '::1', '*.corp.example', '.internal']);
    expect(settings.manual?.bypassName).toBe('ignore-hosts');
    expect(settings.autoDetect).toBe(false);
    expect(asked.some((key) => key.includes('authentication'))).toBe(false);
  });

  it('reads a manual mode with only a SOCKS host and an empty ignore-hosts (@as [])', async () => {
    const settings = await readGnomeSettings(recordedGsettings(fixture('gnome-socks-only.txt')));
    expect(settings.summary).toBe('manual, socks-proxy socks.corp:1080');
    expect(settings.manual).toMatchObject({ bypass: [], socks: { protocol: 'socks5', host: 'socks.corp', port: 1080 } });
    expect(settings.manual?.http).toBeUndefined();
    expect(settings.manual?.https).toBeUndefined();
  });

  it('reads auto mode with its autoconfig-url as a PAC URL', async () => {
    const settings = await readGnomeSettings(recordedGsettings(fixture('gnome-auto.txt')));
    expect(settings).toMatchObject({ summary: 'auto, autoconfig-url http://wpad.corp.example/proxy.pac', autoDetect: false, pacUrl: 'http://wpad.corp.example/proxy.pac' });
  });

  it('reads auto mode without an autoconfig-url as WPAD', async () => {
    const listing = fixture('gnome-auto.txt').replace(/autoconfig-url '.*'/, "autoconfig-url ''");
    const settings = await readGnomeSettings(recordedGsettings(listing));
    expect(settings).toMatchObject({ summary: 'auto, no autoconfig-url (WPAD)', autoDetect: true });
    expect(settings.pacUrl).toBeUndefined();
  });

  it('reads none and ignores the hosts that are still filled in', async () => {
    const asked: string[] = [];
    const settings = await readGnomeSettings(recordedGsettings(fixture('gnome-none.txt'), asked));
    expect(settings).toEqual({ label: 'GNOME proxy settings', summary: 'none', autoDetect: false, notes: [] });
    expect(asked).toEqual(['org.gnome.system.proxy mode']);
  });

  it('reads strings in double quotes and with escapes, and typed integers', async () => {
    const answers: Record<string, string> = {
        'org.gnome.system.proxy mode': "'manual'",
        'org.gnome.system.proxy ignore-hosts': `["it's.corp", 'a\\'b', '\\u0041.corp']`,
        'org.gnome.system.proxy.http host': "''",
        'org.gnome.system.proxy.http port': '0',
        'org.gnome.system.proxy.https host': "'http://proxy.corp/'",
        'org.gnome.system.proxy.https port': 'int32 8080',
        'org.gnome.system.proxy.socks host': "''",
        'org.gnome.system.proxy.socks port': '0',
    };
    const get: GsettingsGet = async (schema, key) => answers[`${schema} ${key}`] ?? '';
    const settings = await readGnomeSettings(get);
    expect(settings.manual?.bypass).toEqual(["it's.corp", "a'b", 'A.corp']);
    expect(settings.manual?.https).toMatchObject({ host: 'proxy.corp', port: 8080 });
  });

  it('skips a proxy whose port is 0 or whose host is not a host, saying so in its place', async () => {
    const listing = fixture('gnome-manual.txt').replace("https port 8080", 'https port 0').replace("socks host 'socks.corp'", "socks host 'bad host'");
    const settings = await readGnomeSettings(recordedGsettings(listing));
    expect(settings.manual?.https).toBeUndefined();
    expect(settings.manual?.socks).toBeUndefined();
    expect(settings.notes).toEqual([]);
    expect(settings.summary).toMatch(
      /^manual, http-proxy http-proxy\.corp:3128, https-proxy "proxy\.corp" skipped \(its port is 0, so not set\), socks-proxy "bad host:1080" skipped: a space is not allowed/,
    );
  });

  it.each([
    ['a mode that is not quoted', 'org.gnome.system.proxy mode', 'manual', /`gsettings get org.gnome.system.proxy mode` answered "manual": not a quoted string/],
    ['a mode it does not know', 'org.gnome.system.proxy mode', "'sideways'", /org.gnome.system.proxy mode is "sideways", not none, manual or auto/],
    ['a string that does not end', 'org.gnome.system.proxy mode', "'manual", /the quoted string does not end/],
    ['text after the string', 'org.gnome.system.proxy mode', "'manual' 'auto'", /there is more after the quoted string/],
    ['a port that is not a number', 'org.gnome.system.proxy.https port', "'8080'", /org.gnome.system.proxy.https port` answered "'8080'": not a whole number/],
    ['an ignore-hosts that is not a list', 'org.gnome.system.proxy ignore-hosts', "'localhost'", /ignore-hosts` answered "'localhost'": not a list of strings/],
    ['an ignore-hosts list that is cut off', 'org.gnome.system.proxy ignore-hosts', "['localhost', ]", /ignore-hosts` answered .*: entry 2: not a quoted string/],
    ['an ignore-hosts list without commas', 'org.gnome.system.proxy ignore-hosts', "['a' 'b']", /entry 1 is not followed by a comma/],
    ['an empty answer', 'org.gnome.system.proxy mode', '', /answered "": not a quoted string/],
  ])('throws a SystemSettingsError naming the key for %s', async (_name, key, answer, message) => {
    const recorded = recordedGsettings(fixture('gnome-manual.txt'));
    const get: GsettingsGet = async (schema, name) => (`${schema} ${name}` === key ? answer : recorded(schema, name));
    const error = await readGnomeSettings(get).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SystemSettingsError);
    expect(error instanceof Error ? error.message : '').toMatch(message);
  });

  it('passes on the runner failing (gsettings missing, a schema missing)', async () => {
    const get: GsettingsGet = () => Promise.reject(new SystemSettingsError('`gsettings get org.gnome.system.proxy mode` exited with status 1: No such schema “org.gnome.system.proxy”'));
    await expect(readGnomeSettings(get)).rejects.toThrow(/No such schema/);
  });
});

describe('readGnomeSettings: use-same-proxy', () => {
  it('true (the schema default) makes the http proxy serve every scheme, as Chromium reads it', async () => {
    const listing = fixture('gnome-manual.txt').replace('use-same-proxy false', 'use-same-proxy true');
    const settings = await readGnomeSettings(recordedGsettings(listing));
    expect(settings.manual?.https).toMatchObject({ host: 'http-proxy.corp', port: 3128 });
    expect(settings.summary).toMatch(/, use-same-proxy \(the http proxy for every scheme\)$/);
  });

  it('true without an http proxy changes nothing; a missing key is false', async () => {
    const socksOnly = `${fixture('gnome-socks-only.txt')}org.gnome.system.proxy use-same-proxy true\n`;
    expect((await readGnomeSettings(recordedGsettings(socksOnly))).manual?.https).toBeUndefined();
    const missing = fixture('gnome-manual.txt').replace(/^org.gnome.system.proxy use-same-proxy .*\n/m, '');
    expect((await readGnomeSettings(recordedGsettings(missing))).manual?.https).toMatchObject({ host: 'proxy.corp', port: 8080 });
  });
});
