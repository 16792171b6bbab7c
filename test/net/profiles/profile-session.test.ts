/**
 * `session:open { profileId }` through a real proxy on 127.0.0.1: the engine decrypts the
 * profile's secrets and uses them on the wire, and none of them shows up in any event.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { EngineEvent } from '../../../src-main/shared/events';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { startBasicAuthProxy, type FakeProxy } from '../../support/fake-proxy';
import { errorOf, makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';

const PASSWORD = 'proxy-SECRET-a81c';
const TOKEN = 'Bearer hdr-SECRET-2b7e';

let echo: EchoServer;
let proxy: FakeProxy;
let temp: ReturnType<typeof makeTempDir>;
let engine: Engine | undefined;
let cipherOpened = 0;

beforeAll(async () => {
  echo = await startEchoServer();
  proxy = await startBasicAuthProxy('alice', PASSWORD, echo.port);
});

afterEach(async () => {
  await engine?.dispose();
  temp?.cleanup();
});

afterAll(async () => {
  await Promise.allSettled([echo.close(), proxy.close()]);
});

function waitFor(events: EngineEvent[], test: (event: EngineEvent) => boolean, ms: number): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (events.some(test)) resolve();
      else if (Date.now() - started > ms) reject(new Error(`no matching event within ${ms} ms: ${events.map((e) => e.type).join(', ')}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe('session:open with a profileId', () => {
  it('opens through the proxy with the decrypted credentials and header; no event holds a secret', async () => {
    temp = makeTempDir();
    const dir = temp.dir;
    engine = new Engine({
      host: 'web',
      version: '0',
      env: {},
      profiles: {
        dataDir: dir,
        // Made on first need only (as Electron's safeStorage must be, after app ready).
        cipher: () => {
          cipherOpened += 1;
          return KeyFileCipher.open(dir);
        },
      },
    });
    valueOf(await engine.call('profiles:list', {}));
    expect(cipherOpened).toBe(0);

    const saved = valueOf(
      await engine.call('profiles:save', {
        profile: {
          name: 'Through the proxy',
          url: `ws://127.0.0.1:${echo.port}/chat`,
          headers: [{ name: 'X-Api-Token', secret: true, value: { value: TOKEN } }],
          proxy: { mode: 'manual', url: `http://127.0.0.1:${proxy.port}`, username: 'alice', password: { value: PASSWORD } },
          tls: {},
          handshakeTimeoutMs: 1500,
        },
      }),
    );
    expect(cipherOpened).toBe(1);

    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const { sessionId } = valueOf(await engine.call('session:open', { profileId: saved.id }));
    await waitFor(events, (e) => e.type === 'state' && e.state === 'open', 10_000);
    valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: 'through' }));
    await waitFor(events, (e) => e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview === 'through'), 3000);

    expect(proxy.requests.at(-1)?.requestLine).toBe(`CONNECT 127.0.0.1:${echo.port} HTTP/1.1`);
    expect(echo.upgrades.at(-1)?.['x-api-token']).toBe(TOKEN);
    const seen = JSON.stringify(events);
    for (const secret of [PASSWORD, TOKEN, 'hdr-SECRET', Buffer.from(`alice:${PASSWORD}`).toString('base64')]) expect(seen).not.toContain(secret);
    expect(seen).toContain('Proxy-Authorization');
    expect(seen).toContain('X-Api-Token');
  });

  it("keeps the history the profile asks for (the oldest frames dropped and counted)", async () => {
    temp = makeTempDir();
    engine = new Engine({ host: 'web', version: '0', env: {}, batch: { intervalMs: 5 }, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
    const saved = valueOf(
      await engine.call('profiles:save', {
        profile: { name: 'Short memory', url: `ws://127.0.0.1:${echo.port}/`, proxy: { mode: 'none' }, tls: {}, history: { maxFrames: 100, maxBytes: 1024 * 1024 } },
      }),
    );
    expect(saved.history).toEqual({ maxFrames: 100, maxBytes: 1024 * 1024 });
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const { sessionId } = valueOf(await engine.call('session:open', { profileId: saved.id }));
    await waitFor(events, (e) => e.type === 'state' && e.state === 'open', 3000);
    for (let i = 0; i < 75; i++) valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: `n${i}` }));
    await waitFor(events, (e) => e.type === 'frames' && e.frames.some((f) => f.seq === 150), 3000);
    expect(valueOf(await engine.call('frames:page', { sessionId, fromSeq: 1, limit: 200 }))).toMatchObject({ firstSeq: 51, lastSeq: 150, dropped: 50 });
  });

  it('fails with UNKNOWN_PROFILE (and opens nothing) for a profile that is not there', async () => {
    temp = makeTempDir();
    engine = new Engine({ host: 'web', version: '0', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
    const error = errorOf(await engine.invoke('session:open', { profileId: 'gone' }));
    expect(error).toMatchObject({ code: 'UNKNOWN_PROFILE', path: 'profileId' });
    expect(valueOf(await engine.call('session:list', {}))).toEqual([]);
  });

  it('fails with STORAGE_ERROR naming the secret when it cannot be decrypted', async () => {
    temp = makeTempDir();
    engine = new Engine({ host: 'web', version: '0', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
    const saved = valueOf(
      await engine.call('profiles:save', {
        profile: { name: 'p', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none', username: 'u', password: { value: 'x' } }, tls: {} },
      }),
    );
    // The key is replaced behind the engine's back (a restored backup, another machine's key …).
    const other = makeTempDir();
    try {
      const foreign = KeyFileCipher.open(other.dir);
      const fresh = new Engine({ host: 'web', version: '0', env: {}, profiles: { dataDir: temp.dir, cipher: foreign } });
      const error = errorOf(await fresh.invoke('session:open', { profileId: saved.id }));
      expect(error.code).toBe('STORAGE_ERROR');
      expect(error.message).toContain('the proxy password of profile "p" cannot be decrypted');
      await fresh.dispose();
    } finally {
      other.cleanup();
    }
  });
});
