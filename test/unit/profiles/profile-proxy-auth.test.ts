/**
 * A profile's proxy sign-in scheme (`proxy.auth`): saved and shown as given, carried into the
 * connection options and through an export and import; absent means auto; a bad value is refused at its place.
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

function stored(auth?: StoredProfile['proxy']['auth']): StoredProfile {
  return {
    id: 'id-a',
    revision: 1,
    createdAt: 1,
    updatedAt: 2,
    name: 'A',
    url: 'ws://127.0.0.1:9/',
    headers: [],
    subprotocols: [],
    proxy: { mode: 'manual', url: 'http://127.0.0.1:3128', caFiles: [], ...(auth ? { auth } : {}) },
    tls: { caFiles: [], insecure: false },
    handshakeTimeoutMs: 10_000,
    savedMessages: [],
  };
}

describe('a profile proxy sign-in scheme', () => {
  it('is saved and shown as given; absent stays absent', async () => {
    const input = plainProfileInput('D');
    const saved = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...input, proxy: { ...input.proxy, auth: 'digest' } } })));
    expect(saved.proxy.auth).toBe('digest');
    const none = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: plainProfileInput('none') })));
    expect(none.proxy.auth).toBeUndefined();
  });

  it('is refused with its place when not a known scheme', async () => {
    const input = plainProfileInput('D');
    const error = errorOf(await ctx.engine.invoke('profiles:save', { profile: { ...input, proxy: { ...input.proxy, auth: 'kerberos' } } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe('profile.proxy.auth');
  });

  it('keeps the NTLM domain with the proxy credentials and carries it into proxyAuth', async () => {
    const input = plainProfileInput('N');
    const saved = profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', { profile: { ...input, proxy: { ...input.proxy, auth: 'ntlm', domain: 'CORP' } } })));
    expect(saved.proxy.auth).toBe('ntlm');
    expect(saved.proxy.domain).toBe('CORP');
    const profile: StoredProfile = { ...stored('ntlm'), proxy: { ...stored('ntlm').proxy, username: 'alice', domain: 'CORP' } };
    expect(connectionOptionsFor(profile, noDecrypt).proxyAuth).toEqual({ username: 'alice', password: '', domain: 'CORP' });
  });

  it('goes into the connection options as proxyAuthScheme, and absent stays absent (auto)', () => {
    expect(connectionOptionsFor(stored('basic'), noDecrypt).proxyAuthScheme).toBe('basic');
    expect(connectionOptionsFor(stored(), noDecrypt).proxyAuthScheme).toBeUndefined();
  });

  it('travels in an export and back in an import', () => {
    const { text } = exportProfiles([stored('digest')], { includeSecrets: false, decrypt: noDecrypt, now: 0 });
    const imported = parseImportText(text);
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems)}`);
    expect(imported.profiles[0]?.proxy.auth).toBe('digest');
  });
});
