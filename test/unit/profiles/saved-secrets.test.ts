/**
 * withSavedSecrets decides "the same proxy", "the same server origin" and "the same PAC file"
 * with shared/endpoint-url.ts, the parser the connection uses, so options that reach it without
 * the contract's check (a host's own caller, a future command) still cannot carry a saved
 * secret to a place a second parser would read. The same place written another way still gets it.
 */
import { describe, expect, it } from 'vitest';
import { withSavedSecrets } from '../../../src-main/core/profiles/saved-secrets';
import { storedProfileSchema, type StoredProfile } from '../../../src-main/core/profiles/profile-schema';
import { ProfileError } from '../../../src-main/core/profiles/profile-error';
import { connectionOptionsSchema, type ConnectionOptions, type PacSource, type ProxySetting } from '../../../src-main/shared/model';
import { savedSecretsSchema } from '../../../src-main/shared/commands';

const ENVELOPE = { enc: 'keyfile' as const, data: 'AAAA' };
const PASSWORD = 's3cret';
const TOKEN = 'Bearer t0ken';

function profile(proxy: Record<string, unknown>): StoredProfile {
  return storedProfileSchema.parse({
    id: 'p1',
    revision: 1,
    createdAt: 0,
    updatedAt: 0,
    name: 'Saved',
    url: 'ws://127.0.0.1:13130/chat',
    headers: [{ id: 'h1', name: 'Authorization', secret: true, value: ENVELOPE }],
    proxy: { ...proxy, username: 'alice', password: ENVELOPE },
    tls: {},
  });
}

/** Options as a caller might build them, unchecked: the URL text goes in as it is. */
function options(url: string, proxy: ProxySetting): ConnectionOptions {
  const checked = connectionOptionsSchema.parse({ url: 'ws://127.0.0.1:13130/', proxy: { mode: 'none' }, headers: [{ name: 'Authorization', value: '', secret: true }] });
  return { ...checked, url, proxy };
}

const decrypt = (_envelope: unknown, what: string): string => (what === 'the proxy password' ? PASSWORD : TOKEN);
const proxyRequest = savedSecretsSchema.parse({ profileId: 'p1', proxyPassword: true });
const headerRequest = savedSecretsSchema.parse({ profileId: 'p1', headers: [{ index: 0, profileHeaderId: 'h1' }] });

function refusal(run: () => unknown): ProfileError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProfileError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('withSavedSecrets and URLs two parsers read differently', () => {
  const manual = profile({ mode: 'manual', url: 'http://127.0.0.1:13129' });

  it.each([
    'http://127.0.0.1:13129\\@127.0.0.1:18999',
    'http://127.0.0.1:13129\t@127.0.0.1:18999',
    'http://x@127.0.0.1:13129@127.0.0.1:18999',
    'http://127.0.0.1.:13129',
    'http://127.1:13129',
    'http://127.0.0.1:0',
  ])('keeps the proxy password from %j', (url) => {
    const error = refusal(() => withSavedSecrets(options('ws://127.0.0.1:13130/', { mode: 'manual', url, username: 'alice' }), proxyRequest, manual, decrypt));
    expect(error.path).toBe('savedSecrets.proxyPassword');
    expect(error.message).toContain('is only sent to its proxy http://127.0.0.1:13129 as user "alice"');
    expect(error.message).not.toContain(PASSWORD);
  });

  it.each(['HTTP://127.0.0.1:13129/', 'http://127.0.0.1:13129/', '127.0.0.1:13129'])('sends the proxy password to the same proxy written as %j', (url) => {
    const filled = withSavedSecrets(options('ws://127.0.0.1:13130/', { mode: 'manual', url, username: 'alice' }), proxyRequest, manual, decrypt);
    expect(filled.proxy).toMatchObject({ mode: 'manual', password: PASSWORD });
  });

  it.each(['ws://127.0.0.1:13130\\@127.0.0.1:18999/', 'ws://127.0.0.1:13130\n/', 'ws://[fe80::1%25eth0]:13130/'])('keeps a saved header from the server URL %j', (url) => {
    const error = refusal(() => withSavedSecrets(options(url, { mode: 'none' }), headerRequest, manual, decrypt));
    expect(error.path).toBe('savedSecrets.headers.0');
    expect(error.message).toContain('is only sent to ws://127.0.0.1:13130; type it again to send it to an invalid server URL');
  });

  it('sends a saved header to the same origin written another way', () => {
    const filled = withSavedSecrets(options('WS://127.0.0.1:13130/other?x=1', { mode: 'none' }), headerRequest, manual, decrypt);
    expect(filled.headers[0]).toMatchObject({ value: TOKEN, secret: true });
  });

  it('compares PAC URLs by their normalised location and refuses one that reads two ways', () => {
    const pac = profile({ mode: 'pac', pac: { kind: 'url', url: 'http://pac.corp/proxy.pac' } });
    const request = (source: PacSource): ConnectionOptions => ({ ...options('ws://127.0.0.1:13130/', { mode: 'pac', source }), proxyAuth: { username: 'alice', password: '' } });
    const same = withSavedSecrets(request({ kind: 'url', url: 'HTTP://PAC.corp:80/proxy.pac' }), proxyRequest, pac, decrypt);
    expect(same.proxyAuth).toEqual({ username: 'alice', password: PASSWORD });
    for (const url of ['http://pac.corp\\@evil/proxy.pac', 'http://pac.corp/other.pac', 'http://pac.corp:0/proxy.pac']) {
      expect(refusal(() => withSavedSecrets(request({ kind: 'url', url }), proxyRequest, pac, decrypt)).path).toBe('savedSecrets.proxyPassword');
    }
  });
});
