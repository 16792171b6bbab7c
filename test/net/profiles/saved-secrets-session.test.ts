/**
 * `session:open { options, savedSecrets }`: a tab opened from a profile and then changed
 * connects with its changes and the profile's saved secrets, which the engine fills in (the
 * renderer never holds them), through a real proxy on 127.0.0.1. Each secret goes only where
 * the profile sends it: another proxy, another server origin, another header name or key file
 * is refused, naming the secret and both places, and nothing is sent.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import type { ProfileView } from '../../../src-main/shared/profiles';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { startBasicAuthProxy, type FakeProxy } from '../../support/fake-proxy';
import { errorOf, makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';

const PASSWORD = 'proxy-SECRET-5d1e';
const TOKEN = 'Bearer saved-SECRET-93ab';

let echo: EchoServer;
let proxy: FakeProxy;
let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
let saved: ProfileView;

beforeAll(async () => {
  echo = await startEchoServer();
  proxy = await startBasicAuthProxy('alice', PASSWORD, echo.port);
});

beforeEach(async () => {
  temp = makeTempDir();
  engine = new Engine({ host: 'web', version: '0', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  saved = valueOf(
    await engine.call('profiles:save', {
      profile: {
        name: 'Gateway',
        url: `ws://127.0.0.1:${echo.port}/chat`,
        headers: [{ name: 'Authorization', secret: true, value: { value: TOKEN } }],
        proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}`, username: 'alice', password: { value: PASSWORD } },
        tls: {},
      },
    }),
  );
});

afterEach(async () => {
  await engine.dispose();
  temp.cleanup();
});

afterAll(async () => {
  await Promise.allSettled([echo.close(), proxy.close()]);
});

/** The form of the tab after an edit: another path, one more header; the secrets left empty (kept). */
function changedForm(change: Partial<ConnectionOptionsInput> = {}): ConnectionOptionsInput {
  return {
    url: `ws://127.0.0.1:${echo.port}/other?room=2`,
    proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}`, username: 'alice', password: '' },
    headers: [
      { name: 'Authorization', value: '', secret: true },
      { name: 'X-Extra', value: 'added in the tab' },
    ],
    ...change,
  };
}

function keptSecrets(): { profileId: string; proxyPassword: boolean; headers: { index: number; profileHeaderId: string }[] } {
  return { profileId: saved.id, proxyPassword: true, headers: [{ index: 0, profileHeaderId: saved.headers[0]?.id ?? '' }] };
}

function waitFor(events: EngineEvent[], test: (event: EngineEvent) => boolean): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (events.some(test)) resolve();
      else if (Date.now() - started > 3000) reject(new Error(`no matching event: ${events.map((e) => e.type).join(', ')}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe('session:open with savedSecrets', () => {
  it('connects with the changes and the saved proxy password and header; no event holds them', async () => {
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const { sessionId } = valueOf(await engine.call('session:open', { options: changedForm(), savedSecrets: keptSecrets(), label: 'Gateway' }));
    await waitFor(events, (e) => e.sessionId === sessionId && e.type === 'state' && e.state === 'open');
    const upgrade = echo.upgrades.at(-1);
    expect(upgrade?.authorization).toBe(TOKEN);
    expect(upgrade?.['x-extra']).toBe('added in the tab');
    const seen = JSON.stringify(events);
    for (const secret of [PASSWORD, TOKEN, 'saved-SECRET', Buffer.from(`alice:${PASSWORD}`).toString('base64')]) expect(seen).not.toContain(secret);
    expect(seen).toContain('/other?room=2');
  });

  it.each<[string, Partial<ConnectionOptionsInput>, string, RegExp]>([
    [
      'another proxy',
      { proxy: { mode: 'manual', url: 'http://127.0.0.1:9', username: 'alice', password: '' } },
      'savedSecrets.proxyPassword',
      /the saved proxy password of profile "Gateway" is only sent to its proxy http:\/\/127\.0\.0\.1:\d+ as user "alice"/,
    ],
    [
      'another user name',
      { proxy: { mode: 'manual', url: `http://127.0.0.1:PORT`, username: 'bob', password: '' } },
      'savedSecrets.proxyPassword',
      /as user "alice"/,
    ],
    [
      'another server',
      { url: 'ws://localhost:9/chat' },
      'savedSecrets.headers.0',
      /the saved value of header Authorization in profile "Gateway" is only sent to ws:\/\/127\.0\.0\.1:\d+; type it again to send it to ws:\/\/localhost:9/,
    ],
    [
      'another header name',
      { headers: [{ name: 'X-Token', value: '', secret: true }] },
      'savedSecrets.headers.0',
      /only sent as Authorization, not as X-Token/,
    ],
  ])('refuses to send a saved secret to %s, and opens nothing', async (_what, change, path, message) => {
    const withPort = JSON.parse(JSON.stringify(change).replace('PORT', String(proxy.port))) as Partial<ConnectionOptionsInput>;
    const before = proxy.requests.length;
    const error = errorOf(await engine.invoke('session:open', { options: changedForm(withPort), savedSecrets: keptSecrets() }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', path });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(PASSWORD);
    expect(proxy.requests.length).toBe(before);
    expect(valueOf(await engine.call('session:list', {}))).toEqual([]);
  });

  it('refuses a passphrase for another key file, a secret the profile lacks, an unknown profile, and savedSecrets with profileId', async () => {
    const passphrase = errorOf(await engine.invoke('session:open', { options: changedForm(), savedSecrets: { profileId: saved.id, passphrase: true } }));
    expect(passphrase).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'savedSecrets.passphrase' });
    expect(passphrase.message).toContain('has no saved key passphrase');
    const unknown = errorOf(await engine.invoke('session:open', { options: changedForm(), savedSecrets: { profileId: 'p-gone', proxyPassword: true } }));
    expect(unknown).toMatchObject({ code: 'UNKNOWN_PROFILE', path: 'savedSecrets.profileId' });
    const both = errorOf(await engine.invoke('session:open', { profileId: saved.id, options: changedForm(), savedSecrets: keptSecrets() }));
    expect(both.code).toBe('INVALID_ARGUMENT');
    const noHeader = errorOf(await engine.invoke('session:open', { options: changedForm(), savedSecrets: { profileId: saved.id, headers: [{ index: 5, profileHeaderId: 'h1' }] } }));
    expect(noHeader).toMatchObject({ path: 'savedSecrets.headers.0' });
    expect(noHeader.message).toContain('there is no header 6');
  });
});
