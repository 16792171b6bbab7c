/**
 * A profile's Engine.IO heartbeat switch: saved and shown as given, carried into the connection
 * options and into an export (and back in an import); absent means on (a profile saved before
 * the switch keeps answering); anything but true or false is refused at its place.
 */
import { describe, expect, it } from 'vitest';
import { connectionOptionsFor } from '../../../src-main/core/profiles/profile-connection';
import type { StoredProfile } from '../../../src-main/core/profiles/profile-schema';
import { storedProfileSchema } from '../../../src-main/core/profiles/profile-schema';
import { exportProfiles, parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { profileInputSchema, profileViewSchema } from '../../../src-main/shared/profiles';
import { errorOf, engineWithProfilesPerTest, plainProfileInput, valueOf } from './profile-fixtures';

const ctx = engineWithProfilesPerTest();

const noDecrypt = (): string => {
  throw new Error('no secret in this profile');
};

function stored(engineioHeartbeat?: boolean): StoredProfile {
  return {
    id: 'id-a',
    revision: 1,
    createdAt: 1,
    updatedAt: 2,
    name: 'A',
    url: 'ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket',
    headers: [],
    subprotocols: [],
    proxy: { mode: 'none', caFiles: [] },
    tls: { caFiles: [], insecure: false },
    handshakeTimeoutMs: 10_000,
    ...(engineioHeartbeat !== undefined ? { engineioHeartbeat } : {}),
    savedMessages: [],
  };
}

describe('a profile Engine.IO heartbeat switch', () => {
  it('is saved and shown as given; absent stays absent (on)', async () => {
    const off = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('off'), engineioHeartbeat: false } })));
    expect(off.engineioHeartbeat).toBe(false);
    const on = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('on'), engineioHeartbeat: true } })));
    expect(on.engineioHeartbeat).toBe(true);
    const none = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: plainProfileInput('none') })));
    expect(none.engineioHeartbeat).toBeUndefined();
  });

  it.each([['yes'], ['false'], [0], [1], [null], [{}]])('refuses %j with its place and what it takes', async (bad) => {
    const error = errorOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('bad'), engineioHeartbeat: bad } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe('profile.engineioHeartbeat');
    expect(error.message).toMatch(/Engine\.IO heartbeat is true \(answer the pings\) or false/);
  });

  it('a stored profile without it (saved before the switch) reads as it was', () => {
    const { engineioHeartbeat: _none, ...older } = stored();
    const parsed = storedProfileSchema.parse(older);
    expect(parsed.engineioHeartbeat).toBeUndefined();
    expect(storedProfileSchema.safeParse({ ...older, engineioHeartbeat: 'off' }).success).toBe(false);
    expect(profileInputSchema.safeParse({ ...plainProfileInput('x'), engineioHeartbeat: false }).success).toBe(true);
  });

  it('goes into the connection options: false stays false, true and absent leave the default (on)', () => {
    expect(connectionOptionsFor(stored(false), noDecrypt).engineioHeartbeat).toBe(false);
    expect(connectionOptionsFor(stored(true), noDecrypt).engineioHeartbeat).toBe(true);
    expect(connectionOptionsFor(stored(), noDecrypt).engineioHeartbeat).toBeUndefined();
  });

  it('travels in an export and back in an import; a bad value in a file is named with its place', () => {
    const { text } = exportProfiles([stored(false)], { includeSecrets: false, decrypt: noDecrypt, now: 0 });
    const imported = parseImportText(text);
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}`);
    expect(imported.profiles[0]?.engineioHeartbeat).toBe(false);
    const without = parseImportText(exportProfiles([stored()], { includeSecrets: false, decrypt: noDecrypt, now: 0 }).text);
    if (!without.ok) throw new Error(`import failed: ${JSON.stringify(without.problems)}`);
    expect(without.profiles[0]?.engineioHeartbeat).toBeUndefined();

    const bad = parseImportText(text.replace(/"engineioHeartbeat": ?false/, '"engineioHeartbeat": "off"'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems[0]?.path).toMatch(/^profiles\[0\]\.engineioHeartbeat$/);
      expect(bad.problems[0]?.message).toMatch(/Engine\.IO heartbeat is true \(answer the pings\) or false \(leave them unanswered\)/);
    }
  });
});
