/**
 * A profile's keep-alive: saved and shown as given, carried into the connection options and
 * into an export (and back in an import); absent means none; a bad value is refused at its place.
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

function stored(keepalive?: StoredProfile['keepalive']): StoredProfile {
  return {
    id: 'id-a',
    revision: 1,
    createdAt: 1,
    updatedAt: 2,
    name: 'A',
    url: 'ws://127.0.0.1:9/',
    headers: [],
    subprotocols: [],
    proxy: { mode: 'none', caFiles: [] },
    tls: { caFiles: [], insecure: false },
    handshakeTimeoutMs: 10_000,
    ...(keepalive ? { keepalive } : {}),
    savedMessages: [],
  };
}

describe('a profile keep-alive', () => {
  it('is saved and shown as given, with the pong deadline defaulted', async () => {
    const saved = profileViewSchema.parse(
      valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('KA'), keepalive: { intervalMs: 30_000 } } })),
    );
    expect(saved.keepalive).toEqual({ intervalMs: 30_000, pongTimeoutMs: 10_000 });
    const none = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: plainProfileInput('none') })));
    expect(none.keepalive).toBeUndefined();
  });

  it('is refused with its place when out of bounds', async () => {
    const error = errorOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('KA'), keepalive: { intervalMs: 500 } } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe('profile.keepalive.intervalMs');
    expect(error.message).toMatch(/keep-alive interval at least 1 s/);
  });

  it('goes into the connection options, and absent stays absent', () => {
    expect(connectionOptionsFor(stored({ intervalMs: 15_000, pongTimeoutMs: 5_000 }), noDecrypt).keepalive).toEqual({ intervalMs: 15_000, pongTimeoutMs: 5_000 });
    expect(connectionOptionsFor(stored(), noDecrypt).keepalive).toBeUndefined();
  });

  it('travels in an export and back in an import', () => {
    const { text } = exportProfiles([stored({ intervalMs: 15_000, pongTimeoutMs: 5_000 })], { includeSecrets: false, decrypt: noDecrypt, now: 0 });
    const imported = parseImportText(text);
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}`);
    expect(imported.profiles[0]?.keepalive).toEqual({ intervalMs: 15_000, pongTimeoutMs: 5_000 });
    // A bad value in a file is named with its place.
    const bad = parseImportText(text.replace(/"intervalMs": ?15000/, '"intervalMs": 0'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]?.path).toMatch(/keepalive\.intervalMs$/);
  });
});
