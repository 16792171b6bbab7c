/**
 * `connect --profile … --send …` with a profile that reconnects: the CLI sends its --send…
 * messages again on each attempt itself, so the profile's resend (by default the opening and the
 * subscriptions) must not send the STOMP CONNECT a second time. A `ws` server on 127.0.0.1
 * (port 0) drops the first connection after its first message and answers CONNECT with
 * CONNECTED on the second; the test counts the CONNECTs the second connection got.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type RawData } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { fakeIo } from '../../unit/cli/fake-engine';
import { makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';
import type { ResendChoice } from '../../../src-main/shared/model';

const CONNECT = 'CONNECT\naccept-version:1.2\nhost:/\n\n\u0000';
/** A profile's resend: absent (the default, subscriptions) and the two that send the opening. */
const PROFILE_RESENDS: (ResendChoice | undefined)[] = [undefined, 'subscriptions', 'opening'];
const CONNECTED = 'CONNECTED\nversion:1.2\n\n\u0000';

let engine: Engine | undefined;
let server: http.Server | undefined;
let temp: ReturnType<typeof makeTempDir> | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  temp?.cleanup();
  temp = undefined;
});

async function startStompServer(): Promise<{ url: string; received: string[][] }> {
  const received: string[][] = [];
  const http1 = http.createServer();
  server = http1;
  const wss = new WebSocketServer({ server: http1 });
  wss.on('connection', (ws) => {
    const mine: string[] = [];
    const index = received.push(mine) - 1;
    ws.on('message', (data: RawData) => {
      const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data)).toString('utf8');
      mine.push(text);
      if (index === 0) ws.terminate();
      else if (text.startsWith('CONNECT\n')) ws.send(CONNECTED);
    });
  });
  await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve));
  return { url: `ws://127.0.0.1:${(http1.address() as AddressInfo).port}/`, received };
}

describe('connect --profile --send with a reconnecting profile', () => {
  it.each(PROFILE_RESENDS)('the second attempt gets the CONNECT once (profile resend: %s)', async (resend) => {
    const { url, received } = await startStompServer();
    temp = makeTempDir();
    engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 }, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
    const reconnect = { enabled: true, initialDelayMs: 100, ...(resend !== undefined ? { resend } : {}) };
    valueOf(await engine.call('profiles:save', { profile: { name: 'Broker', url, proxy: { mode: 'none' }, tls: {}, reconnect } }));
    const command = parseCommandLine(['connect', '--profile', 'Broker', '--send', CONNECT, '--json']);
    if (command.kind !== 'connect') throw new Error('expected connect');
    const code = await runConnect(command, engine, fakeIo());
    expect(received.length).toBe(2);
    expect(received[1]).toEqual([CONNECT]);
    expect(code).toBe(0);
  });
});
