/**
 * A profile's intercept passthrough list (issue 13): saved and read back, left out when not
 * given, each pattern checked with a message naming its place and text (not a host, a URL, a
 * port, the same pattern twice), carried by an export into an import, and a bad one in an
 * import file named with its path. `addInterceptPassthrough` adds one pattern once.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { engineWithProfilesPerTest, makeTempDir, plainProfileInput, valueOf } from './profile-fixtures';

const ctx = engineWithProfilesPerTest();

describe("a profile's intercept passthrough list", () => {
  it('is kept as written, and absent when not given', async () => {
    const saved = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('Corp'), interceptPassthrough: ['*.bank.example', '10.0.0.5', '[2001:db8::1]'] } })));
    expect(saved.interceptPassthrough).toEqual(['*.bank.example', '10.0.0.5', '[2001:db8::1]']);
    const read = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:get', { id: saved.id })));
    expect(read.interceptPassthrough).toEqual(['*.bank.example', '10.0.0.5', '[2001:db8::1]']);
    const plain = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: plainProfileInput('plain') })));
    expect(plain.interceptPassthrough).toBeUndefined();
  });

  it.each([
    ['a URL', 'https://api.example.com/', /interceptPassthrough\.1.*"https:\/\/api\.example\.com\/" is a URL: give the host alone/],
    ['a port', 'api.example.com:443', /interceptPassthrough\.1.*"api\.example\.com:443" has a port/],
    ['not a host', 'two words', /interceptPassthrough\.1.*"two words" is not a host/],
    ['a * inside', 'a.*.example', /interceptPassthrough\.1.*a \* may only be the whole first label/],
    ['empty', '  ', /interceptPassthrough\.1.*an empty host pattern/],
    ['the same pattern twice', '*.OK.example', /interceptPassthrough\.1.*"\*\.OK\.example" is on the list already \(entry 1, "\*\.ok\.example"\)/],
  ])('refuses %s, naming the entry and the pattern', async (_what, bad, message) => {
    const refused = await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('Corp'), interceptPassthrough: ['*.ok.example', bad] } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'profile.interceptPassthrough.1' } });
    expect(refused.ok ? '' : refused.error.message).toMatch(message);
  });

  it('goes out with an export and comes back with an import; a bad pattern in an import file is named with its path', async () => {
    valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('Corp'), interceptPassthrough: ['pinned.example'] } }));
    const exported = valueOf(await ctx.engine.invoke('profiles:export', {})) as { text: string };
    expect(JSON.parse(exported.text)).toMatchObject({ profiles: [{ name: 'Corp', interceptPassthrough: ['pinned.example'] }] });
    const other = makeTempDir();
    const second = new Engine({ host: 'web', version: '0.0.0-test', env: {}, profiles: { dataDir: other.dir, cipher: KeyFileCipher.open(other.dir) } });
    try {
      valueOf(await second.invoke('profiles:import', { text: exported.text }));
      const list = valueOf(await second.invoke('profiles:list', {})) as { profiles: { id: string; interceptPassthrough?: string[] }[] };
      expect(list.profiles[0]?.interceptPassthrough).toEqual(['pinned.example']);

      const damaged = JSON.parse(exported.text) as { profiles: { name: string; interceptPassthrough: string[] }[] };
      const first = damaged.profiles[0];
      if (!first) throw new Error('no profile exported');
      first.name = 'Corp 2';
      first.interceptPassthrough = ['ok.example', 'http://bad.example'];
      const imported = valueOf(await second.invoke('profiles:import', { text: JSON.stringify(damaged) })) as { imported: unknown[]; problems: { path: string; message: string }[] };
      expect(imported.imported).toEqual([]);
      expect(imported.problems).toEqual([expect.objectContaining({ path: 'profiles[0].interceptPassthrough[1]', message: expect.stringContaining('"http://bad.example" is a URL') })]);
    } finally {
      await second.dispose();
      other.cleanup();
    }
  });
});
