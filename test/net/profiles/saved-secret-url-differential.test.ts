/**
 * A saved proxy password goes only to the profile's own proxy, even when the form's proxy URL
 * is written so that two URL parsers read it differently. `http://127.0.0.1:SAVED\@127.0.0.1:ATTACKER`
 * is the saved proxy to WHATWG URL (`\` ends the authority) and the attacker's port to a
 * parser that splits at the last `@`. Through the real Engine and two fake proxies on
 * 127.0.0.1: the attacker's listener must receive nothing, and session:open is refused with
 * an error that names the field and what is wrong with it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ProfileView } from '../../../src-main/shared/profiles';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { startBasicAuthProxy, startFakeProxy, type FakeProxy } from '../../support/fake-proxy';
import { errorOf, makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';

const PASSWORD = 's3cret';
const FINAL_STATES = new Set(['closed', 'failed']);

let echo: EchoServer;
let savedProxy: FakeProxy;
let attacker: FakeProxy;
let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
let saved: ProfileView;

beforeAll(async () => {
  echo = await startEchoServer();
  savedProxy = await startBasicAuthProxy('alice', PASSWORD, echo.port);
  // The attacker refuses every CONNECT after reading it: all it wants is the header.
  attacker = await startFakeProxy(({ socket }) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
});

beforeEach(async () => {
  temp = makeTempDir();
  engine = new Engine({ host: 'web', version: '0', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  saved = valueOf(
    await engine.call('profiles:save', {
      profile: {
        name: 'Saved proxy',
        url: `ws://127.0.0.1:${echo.port}/chat`,
        proxy: { mode: 'manual', url: `http://127.0.0.1:${savedProxy.port}`, username: 'alice', password: { value: PASSWORD } },
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
  await Promise.allSettled([echo.close(), savedProxy.close(), attacker.close()]);
});

/** Resolves once the session reached closed or failed (a session that opened by mistake must end first). */
function ended(events: EngineEvent[], sessionId: string): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (events.some((e) => e.sessionId === sessionId && e.type === 'state' && FINAL_STATES.has(e.state))) resolve();
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe('a saved proxy password and a proxy URL two parsers read differently', () => {
  it.each([
    ['a backslash before @', (s: number, a: number) => `http://127.0.0.1:${s}\\@127.0.0.1:${a}`, 'a backslash is not allowed in a proxy URL'],
    ['a tab inside the authority', (s: number, a: number) => `http://127.0.0.1:${s}\t@127.0.0.1:${a}`, 'a tab is not allowed in a proxy URL'],
    ['a raw @ read two ways', (s: number, a: number) => `http://127.0.0.1:${s}@x@127.0.0.1:${a}`, 'more than one @'],
  ])('%s: the attacker hears nothing and session:open names the field', async (_what, proxyUrl, problem) => {
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const heard = attacker.requests.length;
    const accepted = attacker.accepted;
    const result = await engine.invoke('session:open', {
      options: { url: `ws://127.0.0.1:${echo.port}/chat`, proxy: { mode: 'manual', url: proxyUrl(savedProxy.port, attacker.port), username: 'alice', password: '' } },
      savedSecrets: { profileId: saved.id, proxyPassword: true },
    });
    // Were a session opened, let it run its course, so the assertions below see what it sent.
    if (result.ok) await ended(events, (result.value as { sessionId: string }).sessionId);

    const leaked = attacker.requests.slice(heard).filter((request) => request.headers.some(([name]) => name.toLowerCase() === 'proxy-authorization'));
    expect(leaked).toEqual([]);
    expect(attacker.accepted).toBe(accepted);
    const error = errorOf(result);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'options.proxy.url' });
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain(PASSWORD);
    expect(valueOf(await engine.call('session:list', {}))).toEqual([]);
  });

  it('a saved secret header and a server URL with a backslash: refused naming options.url, nothing connects', async () => {
    const accepted = attacker.accepted;
    const heard = savedProxy.requests.length;
    const result = await engine.invoke('session:open', {
      options: {
        url: `ws://127.0.0.1:${echo.port}\\@127.0.0.1:${attacker.port}/chat`,
        proxy: { mode: 'none' },
        headers: [{ name: 'Authorization', value: '', secret: true }],
      },
      savedSecrets: { profileId: saved.id, headers: [] },
    });
    const error = errorOf(result);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'options.url' });
    expect(error.message).toContain('a backslash is not allowed in a server URL');
    expect(attacker.accepted).toBe(accepted);
    expect(savedProxy.requests.length).toBe(heard);
    expect(valueOf(await engine.call('session:list', {}))).toEqual([]);
  });

  it('still sends the saved password to the same proxy written another way (upper-case scheme, explicit slash)', async () => {
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const accepted = attacker.accepted;
    const { sessionId } = valueOf(
      await engine.call('session:open', {
        options: { url: `ws://127.0.0.1:${echo.port}/chat`, proxy: { mode: 'manual', url: `HTTP://127.0.0.1:${savedProxy.port}/`, username: 'alice', password: '' } },
        savedSecrets: { profileId: saved.id, proxyPassword: true },
      }),
    );
    const opened = new Promise<string>((resolve) => {
      const poll = (): void => {
        const state = events.find((e) => e.sessionId === sessionId && e.type === 'state' && (e.state === 'open' || FINAL_STATES.has(e.state)));
        if (state?.type === 'state') resolve(state.state);
        else setTimeout(poll, 10);
      };
      poll();
    });
    expect(await opened).toBe('open');
    expect(attacker.accepted).toBe(accepted);
  });
});
