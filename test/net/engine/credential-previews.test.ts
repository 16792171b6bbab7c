/**
 * A live session's `frames` batches (what the app's log rows are made from) carry previews with
 * credentials masked (session/frame-credential-ranges.ts), both ways: a STOMP CONNECT sent over a
 * v12.stomp subprotocol and the echo server's copy of it; a plain frame after it is untouched.
 */
import { afterEach, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { FrameSummary } from '../../../src-main/shared/model';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

let engine: Engine | undefined;
let echo: EchoServer | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await echo?.close();
  echo = undefined;
});

const CONNECT = 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n\0';

it("a live session's frame batches mask the passcode both ways", async () => {
  echo = await startEchoServer({ subprotocols: ['v12.stomp'] });
  const e = new Engine({ host: 'web', version: '1', env: {}, batch: { intervalMs: 5 } });
  engine = e;
  const rows: FrameSummary[] = [];
  let wake = (): void => {};
  e.onEvent((event) => {
    if (event.type !== 'frames') return;
    rows.push(...event.frames);
    wake();
  });
  const opened = await e.call('session:open', { options: { url: `${echo.url}/echo`, proxy: { mode: 'none' }, subprotocols: ['v12.stomp'] } });
  if (!opened.ok) throw new Error(opened.error.message);
  const { sessionId } = opened.value;
  const open = async (): Promise<void> => {
    for (;;) {
      const list = await e.call('session:list', {});
      if (list.ok && list.value.find((s) => s.sessionId === sessionId)?.state === 'open') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await open();
  for (const data of [CONNECT, 'SEND\ndestination:/q\n\nhi\0']) {
    const sent = await e.call('session:send', { sessionId, kind: 'text', data });
    if (!sent.ok) throw new Error(sent.error.message);
  }
  await new Promise<void>((resolve) => {
    wake = () => {
      if (rows.length >= 4) resolve();
    };
    wake();
  });
  const connects = rows.filter((row) => row.preview.startsWith('CONNECT'));
  expect(connects.map((row) => row.dir).sort()).toEqual(['in', 'out']);
  for (const row of connects) {
    expect(row.preview).toContain('login:guest');
    expect(row.preview).toContain('passcode:*****');
  }
  expect(rows.find((row) => row.preview.startsWith('SEND'))?.preview).toBe('SEND\ndestination:/q\n\nhi\0');
});
