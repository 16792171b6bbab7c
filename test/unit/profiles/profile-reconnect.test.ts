/**
 * A profile's auto-reconnect reaches the engine: an enabled setting becomes the connection's
 * `reconnect` option (so `connect --profile` reconnects too), a disabled one none; its
 * retryNormalClose goes along, and what a reconnect sends again (absent: the opening and the
 * subscriptions, the profile's default; the engine's own default is none).
 */
import { describe, expect, it } from 'vitest';
import { connectionOptionsFor } from '../../../src-main/core/profiles/profile-connection';
import type { StoredProfile } from '../../../src-main/core/profiles/profile-schema';
import { exportProfiles, parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { engineWithProfilesPerTest, errorOf, plainProfileInput, valueOf } from './profile-fixtures';

const ctx = engineWithProfilesPerTest();

const noDecrypt = (): string => {
  throw new Error('no secret in this profile');
};

function stored(reconnect?: StoredProfile['reconnect']): StoredProfile {
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
    ...(reconnect ? { reconnect } : {}),
    savedMessages: [],
  };
}

describe("a profile's reconnect in the connection options", () => {
  it('an enabled setting is the reconnect option; retryNormalClose goes along', () => {
    const options = connectionOptionsFor(stored({ enabled: true, initialDelayMs: 2000, maxDelayMs: 20_000, maxAttempts: 4, retryNormalClose: true }), noDecrypt);
    expect(options.reconnect).toEqual({ initialDelayMs: 2000, maxDelayMs: 20_000, maxAttempts: 4, retryNormalClose: true, resend: 'subscriptions' });
  });

  it("resend: absent is 'subscriptions' (on with reconnecting), a chosen one goes as it is", () => {
    const base = { enabled: true, initialDelayMs: 1000, maxDelayMs: 30_000, maxAttempts: 10 } as const;
    expect(connectionOptionsFor(stored(base), noDecrypt).reconnect?.resend).toBe('subscriptions');
    expect(connectionOptionsFor(stored({ ...base, resend: 'opening' }), noDecrypt).reconnect?.resend).toBe('opening');
    expect(connectionOptionsFor(stored({ ...base, resend: 'none' }), noDecrypt).reconnect?.resend).toBe('none');
  });

  it('a disabled setting, or none, reconnects not', () => {
    expect(connectionOptionsFor(stored({ enabled: false, initialDelayMs: 1000, maxDelayMs: 30_000, maxAttempts: 10 }), noDecrypt).reconnect).toBeUndefined();
    expect(connectionOptionsFor(stored(), noDecrypt).reconnect).toBeUndefined();
  });

  it('resend is saved and shown as given, travels in an export and back, and a bad value is refused at its place', async () => {
    const reconnect = { enabled: true, initialDelayMs: 1000, maxDelayMs: 30_000, maxAttempts: 10, resend: 'opening' } as const;
    const saved = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('r'), reconnect } })));
    expect(saved.reconnect?.resend).toBe('opening');
    const imported = parseImportText(exportProfiles([stored(reconnect)], { includeSecrets: false, decrypt: noDecrypt, now: 0 }).text);
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}`);
    expect(imported.profiles[0]?.reconnect?.resend).toBe('opening');
    const error = errorOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('bad'), reconnect: { ...reconnect, resend: 'always' } } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe('profile.reconnect.resend');
  });
});
