// Bad input never crashes: every parser, fed junk (mutated recordings, random bytes), answers settings or a SystemSettingsError.
import { describe, expect, it } from 'vitest';
import { readGnomeSettings } from '../../../../src-main/core/proxy/system/gnome-settings';
import { parseKioslaverc } from '../../../../src-main/core/proxy/system/kde-settings';
import { parseScutilProxy } from '../../../../src-main/core/proxy/system/macos-scutil';
import { SystemSettingsError } from '../../../../src-main/core/proxy/system/system-settings';
import { parseInternetSettings } from '../../../../src-main/core/proxy/system/windows-internet-settings';
import { searchDomains } from '../../../../src-main/core/proxy/system/wpad';
import { findBypassEntry } from '../../../../src-main/core/proxy/system/bypass-rules';
import { fixture, recordedGsettings } from './fixtures';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const PIECES = ['', ' ', '\n', '\r\n', '{', '}', '[', ']', "'", '"', '\\', ':', ' : ', '=', ';', ',', '<dictionary> {', '<array> {', '@as', '0x', 'REG_SZ', 'REG_DWORD', '    ', '\u0000', '\u00e9', '*', '/', '<local>', '99999', '-1', 'http://', 'ProxyType=', '[Proxy Settings]', '[$i]'];

/** The recording with `count` random edits: pieces inserted, characters dropped. */
function mutate(text: string, next: () => number, count: number): string {
  let out = text;
  for (let i = 0; i < count; i += 1) {
    const at = Math.floor(next() * (out.length + 1));
    if (next() < 0.5) out = out.slice(0, at) + (PIECES[Math.floor(next() * PIECES.length)] ?? '') + out.slice(at);
    else out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 5));
  }
  return out;
}

function settledWell(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    return error instanceof SystemSettingsError;
  }
}

describe('junk input', () => {
  it('scutil, reg query and kioslaverc parsers return or throw SystemSettingsError, never anything else', () => {
    const next = random(20261205);
    const cases: [string, (text: string) => unknown][] = [
      ['scutil-manual.txt', parseScutilProxy],
      ['scutil-auto.txt', parseScutilProxy],
      ['reg-per-scheme.txt', parseInternetSettings],
      ['reg-auto.txt', parseInternetSettings],
      ['kioslaverc-manual', (text) => parseKioslaverc(text, { HTTPS_PROXY: 'junk' }, '/k')],
      ['kioslaverc-odd', (text) => parseKioslaverc(text, {}, '/k')],
    ];
    const bad: string[] = [];
    for (const [name, parse] of cases) {
      const recorded = fixture(name);
      for (let round = 0; round < 300; round += 1) {
        const text = mutate(recorded, next, 1 + Math.floor(next() * 8));
        if (!settledWell(() => parse(text))) bad.push(`${name}: ${JSON.stringify(text)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('gsettings answers that are junk give settings or a SystemSettingsError', async () => {
    const next = random(7);
    const recorded = fixture('gnome-manual.txt');
    const bad: string[] = [];
    for (let round = 0; round < 300; round += 1) {
      const listing = mutate(recorded, next, 1 + Math.floor(next() * 6));
      const outcome = await readGnomeSettings(recordedGsettings(listing)).then(
        () => true,
        (error: unknown) => error instanceof SystemSettingsError || (error instanceof Error && error.message.startsWith('No such key')),
      );
      if (!outcome) bad.push(JSON.stringify(listing));
    }
    expect(bad).toEqual([]);
  });

  it('resolv.conf and bypass entries that are junk never throw', () => {
    const next = random(99);
    for (let round = 0; round < 300; round += 1) {
      const text = mutate('search eng.corp.example lab.example\ndomain x.example\n', next, 1 + Math.floor(next() * 10));
      expect(() => searchDomains(text)).not.toThrow();
      const entries = mutate('*.corp;10.*;<local>;169.254/16;fe80::/10;host:8080;.internal', next, 1 + Math.floor(next() * 6)).split(';');
      expect(() => findBypassEntry(entries, mutate('build.corp', next, 2), 443)).not.toThrow();
    }
  });
});
