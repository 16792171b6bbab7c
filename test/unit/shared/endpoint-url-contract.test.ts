/**
 * Port 0, a bad zone id and an ambiguous URL are refused by the contract wherever a URL that
 * decides where a secret goes comes in: session:open and proxy:resolve (server, proxy and PAC
 * URLs), profiles:save and profiles:import. Each refusal names the field and what is wrong.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { CURRENT_VERSION } from '../../../src-main/core/profiles/profile-schema';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { parseCommandArg } from '../../../src-main/shared/commands';
import { errorOf, makeTempDir, plainProfileInput, valueOf } from '../profiles/profile-fixtures';

describe('session:open and proxy:resolve', () => {
  it.each<[string, unknown, string, string]>([
    ['server port 0', { url: 'ws://127.0.0.1:0/' }, 'options.url', 'port 0 is not a port'],
    ['server zone id', { url: 'ws://[fe80::1%25eth0]:8080/' }, 'options.url', 'the IPv6 zone id "eth0" is not supported'],
    ['server port too big', { url: 'wss://h:70000/' }, 'options.url', 'port 70000 is out of range'],
    ['server backslash', { url: 'ws://good\\@evil/' }, 'options.url', 'a backslash is not allowed in a server URL'],
    ['proxy port 0', { url: 'ws://h/', proxy: { mode: 'manual', url: 'http://127.0.0.1:0' } }, 'options.proxy.url', 'port 0 is not a port'],
    ['proxy zone id', { url: 'ws://h/', proxy: { mode: 'manual', url: 'socks5://[fe80::1%eth0]:1080' } }, 'options.proxy.url', 'the IPv6 zone id "eth0"'],
    ['proxy empty', { url: 'ws://h/', proxy: { mode: 'manual', url: '' } }, 'options.proxy.url', 'it is empty'],
    ['PAC port 0', { url: 'ws://h/', proxy: { mode: 'pac', source: { kind: 'url', url: 'http://pac:0/p.pac' } } }, 'options.proxy.source.url', 'port 0 is not a port'],
    ['PAC newline', { url: 'ws://h/', proxy: { mode: 'pac', source: { kind: 'url', url: 'http://pac/\n.pac' } } }, 'options.proxy.source.url', 'a line break is not allowed in a PAC URL'],
  ])('session:open refuses %s', (_what, options, path, problem) => {
    const result = parseCommandArg('session:open', { options });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect('path' in result.error ? result.error.path : undefined).toBe(path);
    expect(result.error.message).toContain(problem);
  });

  it('takes a file: PAC URL and well-formed URLs as they are', () => {
    const result = parseCommandArg('session:open', {
      options: { url: 'WSS://Echo.Example:8443/x', proxy: { mode: 'pac', source: { kind: 'url', url: 'file:///etc/proxy.pac' } } },
    });
    expect(result.ok).toBe(true);
    expect(parseCommandArg('session:open', { options: { url: 'ws://h/', proxy: { mode: 'manual', url: 'http://[::1]:3128' } } }).ok).toBe(true);
  });

  it('proxy:resolve refuses port 0 in the server and the proxy URL', () => {
    const server = parseCommandArg('proxy:resolve', { url: 'ws://h:0/' });
    expect(server).toMatchObject({ ok: false, error: { path: 'url' } });
    const proxy = parseCommandArg('proxy:resolve', { url: 'ws://h/', proxy: { mode: 'manual', url: 'h:0' } });
    expect(proxy).toMatchObject({ ok: false, error: { path: 'proxy.url' } });
    if (!proxy.ok) expect(proxy.error.message).toContain('port 0 is not a port');
  });
});

describe('profiles:save and profiles:import', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let engine: Engine;

  beforeEach(() => {
    temp = makeTempDir();
    engine = new Engine({ host: 'web', version: '0', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  });

  afterEach(async () => {
    await engine.dispose();
    temp.cleanup();
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['server port 0', { url: 'ws://h:0/' }, 'profile.url', 'port 0 is not a port'],
    ['server zone id', { url: 'ws://[fe80::1%25en0]/' }, 'profile.url', 'the IPv6 zone id "en0" is not supported'],
    ['proxy port 0', { proxy: { mode: 'manual', url: 'http://proxy:0' } }, 'profile.proxy.url', 'port 0 is not a port'],
    ['proxy backslash', { proxy: { mode: 'manual', url: 'http://127.0.0.1:1\\@127.0.0.1:2' } }, 'profile.proxy.url', 'a backslash is not allowed in a proxy URL'],
    ['PAC zone id', { proxy: { mode: 'pac', pac: { kind: 'url', url: 'http://[fe80::1%251]/p.pac' } } }, 'profile.proxy.pac.url', 'the IPv6 zone id "1"'],
  ])('profiles:save refuses %s', async (_what, change, path, problem) => {
    const error = errorOf(await engine.invoke('profiles:save', { profile: { ...plainProfileInput('Bad URL'), ...change } }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', path });
    expect(error.message).toContain(problem);
    expect(valueOf(await engine.call('profiles:list', {})).profiles).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['server port 0', { url: 'ws://h:0/' }, 'profiles[1].url', 'port 0 is not a port'],
    ['proxy zone id', { proxy: { mode: 'manual', url: 'http://[fe80::1%25eth0]:3128' } }, 'profiles[1].proxy.url', 'the IPv6 zone id "eth0"'],
    ['PAC port 0', { proxy: { mode: 'pac', pac: { kind: 'url', url: 'https://pac:0/' } } }, 'profiles[1].proxy.pac.url', 'port 0 is not a port'],
  ])('profiles:import names the profile and field of a %s, and imports nothing', async (_what, change, path, problem) => {
    const text = JSON.stringify({
      format: 'tunnelscope-profiles',
      version: CURRENT_VERSION,
      profiles: [plainProfileInput('good'), { ...plainProfileInput('bad'), ...change }],
    });
    const result = valueOf(await engine.call('profiles:import', { text }));
    expect(result.imported).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ path, message: expect.stringContaining(problem) as unknown })]);
  });
});
