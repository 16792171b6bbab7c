/**
 * A profile's MQTT keep-alive switch: saved and shown as given, carried into the connection
 * options and into an export (and back in an import); absent means on (a profile saved before
 * the switch keeps sending PINGREQ); anything but true or false is refused at its place.
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

function stored(mqttKeepalive?: boolean): StoredProfile {
  return {
    id: 'id-a',
    revision: 1,
    createdAt: 1,
    updatedAt: 2,
    name: 'A',
    url: 'ws://127.0.0.1:9/mqtt',
    headers: [],
    subprotocols: [],
    proxy: { mode: 'none', caFiles: [] },
    tls: { caFiles: [], insecure: false },
    handshakeTimeoutMs: 10_000,
    ...(mqttKeepalive !== undefined ? { mqttKeepalive } : {}),
    savedMessages: [],
  };
}

describe('a profile MQTT keep-alive switch', () => {
  it('is saved and shown as given; absent stays absent (on)', async () => {
    const off = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('off'), mqttKeepalive: false } })));
    expect(off.mqttKeepalive).toBe(false);
    const on = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('on'), mqttKeepalive: true } })));
    expect(on.mqttKeepalive).toBe(true);
    const none = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: plainProfileInput('none') })));
    expect(none.mqttKeepalive).toBeUndefined();
  });

  it.each([['yes'], ['false'], [0], [1], [null], [{}]])('refuses %j with its place and what it takes', async (bad) => {
    const error = errorOf(await ctx.engine.invoke('profiles:save', { profile: { ...plainProfileInput('bad'), mqttKeepalive: bad } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe('profile.mqttKeepalive');
    expect(error.message).toMatch(/MQTT keep-alive is true \(send PINGREQ\) or false/);
  });

  it('a stored profile without it (saved before the switch) reads as it was', () => {
    const { mqttKeepalive: _none, ...older } = stored();
    const parsed = storedProfileSchema.parse(older);
    expect(parsed.mqttKeepalive).toBeUndefined();
    expect(storedProfileSchema.safeParse({ ...older, mqttKeepalive: 'off' }).success).toBe(false);
    expect(profileInputSchema.safeParse({ ...plainProfileInput('x'), mqttKeepalive: false }).success).toBe(true);
  });

  it('goes into the connection options: false stays false, true and absent leave the default (on)', () => {
    expect(connectionOptionsFor(stored(false), noDecrypt).mqttKeepalive).toBe(false);
    expect(connectionOptionsFor(stored(true), noDecrypt).mqttKeepalive).toBe(true);
    expect(connectionOptionsFor(stored(), noDecrypt).mqttKeepalive).toBeUndefined();
  });

  it('travels in an export and back in an import; a bad value in a file is named with its place', () => {
    const { text } = exportProfiles([stored(false)], { includeSecrets: false, decrypt: noDecrypt, now: 0 });
    const imported = parseImportText(text);
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}`);
    expect(imported.profiles[0]?.mqttKeepalive).toBe(false);
    const without = parseImportText(exportProfiles([stored()], { includeSecrets: false, decrypt: noDecrypt, now: 0 }).text);
    if (!without.ok) throw new Error(`import failed: ${JSON.stringify(without.problems)}`);
    expect(without.profiles[0]?.mqttKeepalive).toBeUndefined();

    const bad = parseImportText(text.replace(/"mqttKeepalive": ?false/, '"mqttKeepalive": "off"'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems[0]?.path).toMatch(/^profiles\[0\]\.mqttKeepalive$/);
      expect(bad.problems[0]?.message).toMatch(/MQTT keep-alive is true \(send PINGREQ\) or false \(send none\)/);
    }
  });
});
