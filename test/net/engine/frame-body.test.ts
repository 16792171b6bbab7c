/**
 * Engine#frameBody: the synchronous read the CLI uses to print a frame's payload. It must give
 * what frames:get gives for a stored frame, and nothing for a frame never stored or a session
 * that does not exist.
 */
import { afterEach, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { closeFrame, serverFrame, startRawServer, switchingProtocols, type RawServer } from '../../support/raw-ws-server';

let engine: Engine | undefined;
let raw: RawServer | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await raw?.close();
  raw = undefined;
});

it('gives the same body as frames:get, and undefined where frames:get finds nothing', async () => {
  raw = await startRawServer(({ socket, key }) => {
    socket.write(switchingProtocols(key));
    socket.write(Buffer.concat([serverFrame(0x2, Buffer.from([0, 1, 2, 255])), serverFrame(0x1, 'héllo'), closeFrame(1000, 'bye')]));
    socket.on('data', () => socket.end());
  });
  const running = new Engine({ host: 'cli', version: 'test', env: {} });
  engine = running;
  let sessionId = '';
  const closed = new Promise<void>((resolve) => running.onEvent((event) => event.sessionId === sessionId && event.type === 'closed' && resolve()));
  const opened = await running.call('session:open', { options: { url: raw.url, proxy: { mode: 'none' } } });
  if (!opened.ok) throw new Error(opened.error.message);
  sessionId = opened.value.sessionId;
  await closed;

  for (const seq of [1, 2, 3]) {
    const fetched = await running.call('frames:get', { sessionId, seq });
    if (!fetched.ok) throw new Error(fetched.error.message);
    expect(running.frameBody(sessionId, seq)).toEqual(fetched.value);
  }
  expect(running.frameBody(sessionId, 1)).toMatchObject({ base64: 'AAEC/w==' });
  expect(running.frameBody(sessionId, 2)).toMatchObject({ text: 'héllo' });
  expect((await running.call('frames:get', { sessionId, seq: 99 })).ok).toBe(false);
  expect(running.frameBody(sessionId, 99)).toBeUndefined();
  expect(running.frameBody('no-such-session', 1)).toBeUndefined();
}, 15_000);
