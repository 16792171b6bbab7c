/**
 * A profile's trust setting: saved and shown as given, absent for profiles that never set it
 * (read as Mozilla + OS), carried into the connection options and through an export and an
 * import; an unknown value is refused at its place.
 */
import { describe, expect, it } from 'vitest';
import { connectionOptionsFor } from '../../../src-main/core/profiles/profile-connection';
import type { StoredProfile } from '../../../src-main/core/profiles/profile-schema';
import { exportProfiles, parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { errorOf, engineWithProfilesPerTest, plainProfileInput, valueOf } from './profile-fixtures';

const ctx = engineWithProfilesPerTest();

const noDecrypt = (): string => {
  throw new Error('no secret in this profile');
};

function stored(trust?: 'mozilla+os' | 'mozilla' | 'ca-files'): StoredProfile {
  return {
    id: 'id-a',
    revision: 1,
    createdAt: 1,
    updatedAt: 2,
    name: 'A',
    url: 'wss://127.0.0.1:9/',
    headers: [],
    subprotocols: [],
    proxy: { mode: 'none', caFiles: [] },
    tls: { caFiles: [], insecure: false, ...(trust ? { trust } : {}) },
    handshakeTimeoutMs: 10_000,
    savedMessages: [],
  };
}

describe('a profile trust setting', () => {
  it('is saved and shown as given; a profile without one has none', async () => {
    const saved = profileViewSchema.parse(
      valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('T'), tls: { trust: 'ca-files', caFiles: ['/tmp/ca.pem'] } } })),
    );
    expect(saved.tls.trust).toBe('ca-files');
    const none = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: plainProfileInput('none') })));
    expect(none.tls.trust).toBeUndefined();
  });

  it('is refused with its place when it is not one of the settings', async () => {
    const error = errorOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('T'), tls: { trust: 'everything' } } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe('profile.tls.trust');
  });

  it('goes into the connection options, and absent stays absent (the engine then uses Mozilla + OS)', () => {
    expect(connectionOptionsFor(stored('mozilla'), noDecrypt).tls.trust).toBe('mozilla');
    expect(connectionOptionsFor(stored(), noDecrypt).tls.trust).toBeUndefined();
  });

  it('travels in an export and back in an import', () => {
    const { text } = exportProfiles([stored('mozilla')], { includeSecrets: false, decrypt: noDecrypt, now: 0 });
    const imported = parseImportText(text);
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}`);
    expect(imported.profiles[0]?.tls.trust).toBe('mozilla');
  });
});
