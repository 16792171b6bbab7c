/**
 * A profile's auto-reconnect reaches the engine: an enabled setting becomes the connection's
 * `reconnect` option (so `connect --profile` reconnects too), a disabled one none; its
 * retryNormalClose goes along.
 */
import { describe, expect, it } from 'vitest';
import { connectionOptionsFor } from '../../../src-main/core/profiles/profile-connection';
import type { StoredProfile } from '../../../src-main/core/profiles/profile-schema';

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
    expect(options.reconnect).toEqual({ initialDelayMs: 2000, maxDelayMs: 20_000, maxAttempts: 4, retryNormalClose: true });
  });

  it('a disabled setting, or none, reconnects not', () => {
    expect(connectionOptionsFor(stored({ enabled: false, initialDelayMs: 1000, maxDelayMs: 30_000, maxAttempts: 10 }), noDecrypt).reconnect).toBeUndefined();
    expect(connectionOptionsFor(stored(), noDecrypt).reconnect).toBeUndefined();
  });
});
