/**
 * A profile's decode choice (issue 14) through the engine: saved and read back, left out when
 * not given (auto), refused when it is not a choice, and carried by an export into an import.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { engineWithProfilesPerTest, makeTempDir, plainProfileInput, valueOf } from './profile-fixtures';

const ctx = engineWithProfilesPerTest();

describe("a profile's decode choice", () => {
  it('is kept, left out when not given, and refused when it is not a choice', async () => {
    const saved = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('broker'), decode: 'mqtt' } })));
    expect(saved.decode).toBe('mqtt');
    const read = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:get', { id: saved.id })));
    expect(read.decode).toBe('mqtt');
    const plain = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: plainProfileInput('plain') })));
    expect(plain.decode).toBeUndefined();
    const bad = await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('bad'), decode: 'Socket IO' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'profile.decode' } });
  });

  it('goes out with an export and comes back with an import', async () => {
    valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('broker'), decode: 'stomp' } }));
    const exported = valueOf(await ctx.engine.invoke('profiles:export', {})) as { text: string };
    expect(exported.text).toContain('"decode": "stomp"');
    // Another engine with its own (empty) folder takes the file in.
    const other = makeTempDir();
    const second = new Engine({ host: 'web', version: '0.0.0-test', env: {}, profiles: { dataDir: other.dir, cipher: KeyFileCipher.open(other.dir) } });
    try {
      valueOf(await second.invoke('profiles:import', { text: exported.text }));
      const list = valueOf(await second.invoke('profiles:list', {})) as { profiles: { id: string }[] };
      const id = list.profiles[0]?.id ?? '';
      expect(profileViewSchema.parse(valueOf(await second.invoke('profiles:get', { id }))).decode).toBe('stomp');
    } finally {
      await second.dispose();
      other.cleanup();
    }
  });
});
