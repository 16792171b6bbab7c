// WPAD by DNS with an injected lookup and PAC loader: search domains, most specific first, lookups that time out (fake time) or answer garbage.
import { describe, expect, it } from 'vitest';
import { NetFailure } from '../../../../src-main/core/errors/net-failure';
import type { PacEvaluation } from '../../../../src-main/core/proxy/pac-script';
import { findWpad, searchDomains, wpadNames, type WpadDeps } from '../../../../src-main/core/proxy/system/wpad';
import { ManualClock } from '../../../support/manual-clock';

const EVALUATION: PacEvaluation = { answer: 'PROXY p.corp:8080', routes: [], notes: [], origin: 'http://wpad.corp.example/wpad.dat' };

function deps(over: Partial<WpadDeps> & { addresses?: Record<string, string> }): WpadDeps & { looked: string[]; loaded: string[] } {
  const looked: string[] = [];
  const loaded: string[] = [];
  const addresses = over.addresses ?? {};
  return {
    platform: 'linux',
    readResolvConf: async () => 'nameserver 10.0.0.53\nsearch eng.corp.example lab.example\n',
    lookup: async (name) => {
      looked.push(name);
      const address = addresses[name];
      if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      return address;
    },
    loadPac: async (url) => {
      loaded.push(url);
      return { ...EVALUATION, origin: url };
    },
    ...over,
    looked,
    loaded,
  };
}

describe('searchDomains and wpadNames', () => {
  it('reads the last search or domain line, drops comments, trailing dots and duplicates, and notes junk', () => {
    expect(searchDomains('domain old.example\nsearch eng.corp.example. corp.example eng.corp.example # comment\n')).toEqual({ domains: ['eng.corp.example', 'corp.example'], notes: [] });
    expect(searchDomains('search a.example\ndomain b.example\n').domains).toEqual(['b.example']);
    expect(searchDomains('nameserver 1.1.1.1\n').domains).toEqual([]);
    expect(searchDomains('search ok.example bad..name -x.example $(rm).example\n')).toEqual({
      domains: ['ok.example'],
      notes: ['search domain "bad..name" skipped: not a domain name', 'search domain "-x.example" skipped: not a domain name', 'search domain "$(rm).example" skipped: not a domain name'],
    });
    expect(searchDomains('\u0000\u0001 binary junk\nsearch\n').domains).toEqual([]);
  });

  it('walks each domain up to two labels, most specific first, never to a top-level domain', () => {
    expect(wpadNames(['eng.corp.example', 'lab.example', 'lan'])).toEqual(['wpad.eng.corp.example', 'wpad.corp.example', 'wpad.lab.example', 'wpad.lan']);
    expect(wpadNames(['a.b.example', 'b.example'])).toEqual(['wpad.a.b.example', 'wpad.b.example']);
  });
});

describe('findWpad', () => {
  it('loads wpad.dat from the most specific name that has an address', async () => {
    const d = deps({ addresses: { 'wpad.corp.example': '10.0.0.8', 'wpad.lab.example': '10.0.0.9' } });
    const result = await findWpad(d);
    expect(result).toMatchObject({ found: true, url: 'http://wpad.corp.example/wpad.dat', steps: ['WPAD: found http://wpad.corp.example/wpad.dat'] });
    expect(d.looked).toEqual(['wpad.eng.corp.example', 'wpad.corp.example', 'wpad.lab.example']);
    expect(d.loaded).toEqual(['http://wpad.corp.example/wpad.dat']);
  });

  it('says which names it tried when none has an address', async () => {
    const result = await findWpad(deps({}));
    expect(result).toEqual({ found: false, steps: ['WPAD: no wpad host found (wpad.eng.corp.example (not found), wpad.corp.example (not found), wpad.lab.example (not found))'] });
  });

  it('goes on to the next name when a wpad.dat cannot be used', async () => {
    const d = deps({
      addresses: { 'wpad.eng.corp.example': '10.0.0.7', 'wpad.lab.example': '10.0.0.9' },
      loadPac: async (url) => {
        if (url.includes('eng')) throw NetFailure.of('resolve', 'PAC_INVALID', {}, { message: 'The PAC script (x) could not be compiled.' });
        return { ...EVALUATION, origin: url };
      },
    });
    const result = await findWpad(d);
    expect(result).toMatchObject({
      found: true,
      url: 'http://wpad.lab.example/wpad.dat',
      steps: ['WPAD: found http://wpad.eng.corp.example/wpad.dat but could not use it: The PAC script (x) could not be compiled.', 'WPAD: found http://wpad.lab.example/wpad.dat'],
    });
  });

  it('gives up on a lookup that does not answer within its deadline (fake time)', async () => {
    const clock = new ManualClock();
    const d = deps({ clock, lookupTimeoutMs: 2000, lookup: (name) => (name === 'wpad.lab.example' ? Promise.resolve('10.0.0.9') : new Promise<string>(() => undefined)) });
    const pending = findWpad(d);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(2000);
    const result = await pending;
    expect(result).toMatchObject({ found: true, url: 'http://wpad.lab.example/wpad.dat' });
    const none = findWpad(deps({ clock, lookupTimeoutMs: 2000, lookup: () => new Promise<string>(() => undefined) }));
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(2000);
    expect((await none).steps).toEqual([
      'WPAD: no wpad host found (wpad.eng.corp.example (no answer within 2000 ms), wpad.corp.example (no answer within 2000 ms), wpad.lab.example (no answer within 2000 ms))',
    ]);
  });

  it('treats a lookup that answers garbage or throws at once as not found, with the reason', async () => {
    const answers: Record<string, () => Promise<string>> = {
      'wpad.eng.corp.example': async () => 'not-an-address',
      'wpad.corp.example': () => Promise.resolve(JSON.parse('{"address":1}')),
      'wpad.lab.example': () => {
        throw new Error('resolver exploded');
      },
    };
    const result = await findWpad(deps({ lookup: (name) => answers[name]?.() ?? Promise.reject(new Error('?')) }));
    expect(result).toEqual({
      found: false,
      steps: ['WPAD: no wpad host found (wpad.eng.corp.example (the lookup answered "not-an-address", not an address), wpad.corp.example (the lookup answered object, not an address), wpad.lab.example (resolver exploded))'],
    });
  });

  it('says when resolv.conf has no search domain or cannot be read, and skips Windows', async () => {
    expect((await findWpad(deps({ readResolvConf: async () => 'nameserver 10.0.0.53\n' }))).steps).toEqual(['WPAD: /etc/resolv.conf names no DNS search domain']);
    expect((await findWpad(deps({ readResolvConf: () => Promise.reject(new Error('ENOENT: no such file')) }))).steps).toEqual(['WPAD: /etc/resolv.conf could not be read (ENOENT: no such file)']);
    const windows = deps({ platform: 'win32' });
    expect((await findWpad(windows)).steps).toEqual(['WPAD: not tried on Windows (Tunnelscope reads DNS search domains only from /etc/resolv.conf)']);
    expect(windows.looked).toEqual([]);
  });
});
