/**
 * The engineioHeartbeat option from where the app sets it to the session: `session:open` with
 * options (the tab's form) and with a profileId (a saved profile's switch), against a server on
 * 127.0.0.1 that sends an Engine.IO 4 open packet and one ping `2`. After the ping is in the log
 * the test sends `after`; the server then holds `3`, `after` with the heartbeat on (the answer is
 * sent as the ping is noted, before the log hears of it) and `after` alone with it off. A value
 * that is not a boolean is refused at its place before anything connects.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { Result } from '../../../src-main/shared/result';
import { makeTempDir } from '../../unit/profiles/profile-fixtures';
import { waitUntil } from '../../support/wait-until';

const OPEN_V4 = '0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

let server: WebSocketServer | undefined;
let engine: Engine | undefined;
let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  temp?.cleanup();
  temp = undefined;
  for (const client of server?.clients ?? []) client.terminate();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that opens Engine.IO and pings once; `received` holds what the client sent, in order. */
async function startPingingServer(): Promise<{ url: string; received: string[] }> {
  const received: string[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server = wss;
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => received.push(isBinary ? '(binary)' : Buffer.from(data as Buffer).toString('utf8')));
    socket.send(OPEN_V4);
    socket.send('2');
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, received };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`command failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function newEngine(): { engine: Engine; events: EngineEvent[] } {
  temp = makeTempDir();
  const dir = temp.dir;
  const made = new Engine({ host: 'web', version: '0', env: {}, batch: { intervalMs: 5 }, profiles: { dataDir: dir, cipher: () => KeyFileCipher.open(dir) } });
  engine = made;
  const events: EngineEvent[] = [];
  made.onEvent((event) => events.push(event));
  return { engine: made, events };
}

/** What the server got once the ping is in the session's log and the test sent `after`. */
async function afterThePing(target: Engine, events: EngineEvent[], sessionId: string, received: string[]): Promise<string[]> {
  await waitUntil('the ping in the log', () => events.some((e) => e.type === 'frames' && e.sessionId === sessionId && e.frames.some((f) => f.dir === 'in' && f.preview === '2')));
  value(await target.call('session:send', { sessionId, kind: 'text', data: 'after' }));
  await waitUntil('the server got after', () => received.includes('after'));
  return [...received];
}

describe('engineioHeartbeat through session:open', () => {
  it('options without it: the ping is answered', async () => {
    const { url, received } = await startPingingServer();
    const { engine: target, events } = newEngine();
    const { sessionId } = value(await target.call('session:open', { options: { url, proxy: { mode: 'none' } } }));
    expect(await afterThePing(target, events, sessionId, received)).toEqual(['3', 'after']);
  });

  it('options with false (the tab switch off): the ping goes unanswered', async () => {
    const { url, received } = await startPingingServer();
    const { engine: target, events } = newEngine();
    const { sessionId } = value(await target.call('session:open', { options: { url, proxy: { mode: 'none' }, engineioHeartbeat: false } }));
    expect(await afterThePing(target, events, sessionId, received)).toEqual(['after']);
  });

  it.each([
    [false, ['after']],
    [undefined, ['3', 'after']],
  ])('a profile with %s: as the profile says (absent: answered)', async (setting, expected) => {
    const { url, received } = await startPingingServer();
    const { engine: target, events } = newEngine();
    const saved = value(
      await target.call('profiles:save', {
        profile: { name: 'Socket.IO', url, proxy: { mode: 'none' }, tls: {}, ...(setting !== undefined ? { engineioHeartbeat: setting } : {}) },
      }),
    );
    const { sessionId } = value(await target.call('session:open', { profileId: saved.id }));
    expect(await afterThePing(target, events, sessionId, received)).toEqual(expected);
  });

  it('a value that is not a boolean is refused at its place, and nothing connects', async () => {
    const { url } = await startPingingServer();
    const { engine: target } = newEngine();
    let connections = 0;
    server?.on('connection', () => (connections += 1));
    const result = await target.invoke('session:open', { options: { url, proxy: { mode: 'none' }, engineioHeartbeat: 'off' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'options.engineioHeartbeat' });
    expect(result.error.message).toMatch(/Engine\.IO heartbeat is true \(answer the pings\) or false \(leave them unanswered\)/);
    expect(connections).toBe(0);
  });
});
