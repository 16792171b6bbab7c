import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import { startUpgrade, type UpgradeRequest } from '../../../src-main/core/session/ws-upgrade';
import type { HandshakeStep } from '../../../src-main/shared/model';
import {
  connectTo,
  serverFrame,
  startRawServer,
  switchingProtocols,
  type RawServer,
  type RawUpgrade,
} from '../../support/raw-ws-server';

let server: RawServer | undefined;
const clientSockets: net.Socket[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  for (const socket of clientSockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

interface Run {
  error: NetFailure;
  steps: HandshakeStep[];
}

/**
 * A deadline no failing upgrade here comes near: a failure that waited for it would end the
 * test at Vitest's timeout, and its code would be HANDSHAKE_TIMEOUT, not the one expected.
 */
const FAR_DEADLINE_MS = 60_000;

async function upgradeAgainst(
  answer: (upgrade: RawUpgrade) => void,
  options: Partial<UpgradeRequest> = {},
  deadlineMs = FAR_DEADLINE_MS,
): Promise<Run> {
  server = await startRawServer(answer);
  const socket = await connectTo(server.port);
  clientSockets.push(socket);
  const steps: HandshakeStep[] = [];
  const handle = startUpgrade({
    url: `ws://127.0.0.1:${server.port}/chat?room=1`,
    socket,
    deadline: new Deadline(deadlineMs),
    onStep: (step) => steps.push(step),
    ...options,
  });
  if (handle.ws) clients.push(handle.ws);
  const error = await handle.opened.then(
    () => {
      throw new Error('the upgrade should have failed');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof NetFailure)) throw error;
  return { error, steps };
}

function expectUpgradeFailure(run: Run, code: string): void {
  expect(run.error.netError.stage).toBe('upgrade');
  expect(run.error.netError.code).toBe(code);
  expect(run.steps).toHaveLength(1);
  const step = run.steps[0];
  expect(step?.leg).toBe('upgrade');
  expect(step?.ok).toBe(false);
  expect(step?.ms).toBeGreaterThanOrEqual(0);
  expect(step?.request?.startLine).toBe('GET /chat?room=1 HTTP/1.1');
}

describe('the WebSocket upgrade on a prepared socket', () => {
  it('opens, captures both sides, and delivers frames sent together with the 101', async () => {
    server = await startRawServer(({ socket, key }) => {
      socket.write(Buffer.concat([Buffer.from(switchingProtocols(key, ['Sec-WebSocket-Protocol: b'])), serverFrame(0x1, 'first')]));
    });
    const socket = await connectTo(server.port);
    clientSockets.push(socket);
    const steps: HandshakeStep[] = [];
    const messages: string[] = [];
    const handle = startUpgrade({
      url: `ws://127.0.0.1:${server.port}/`,
      socket,
      subprotocols: ['a', 'b'],
      headers: [
        { name: 'X-Plain', value: 'visible' },
        { name: 'Authorization', value: 'Bearer abc.def' },
        { name: 'X-Api-Key', value: 'hunter2', secret: true },
      ],
      origin: 'https://app.example',
      deadline: new Deadline(1000),
      onStep: (step) => steps.push(step),
      onOpen: ({ ws }) => ws.on('message', (data) => messages.push(String(data))),
    });
    if (handle.ws) clients.push(handle.ws);
    const outcome = await handle.opened;
    expect(outcome.protocol).toBe('b');
    expect(outcome.response.startLine).toBe('HTTP/1.1 101 Switching Protocols');
    const sent = new Map(outcome.request.headers.map(([n, v]) => [n.toLowerCase(), v]));
    expect(sent.get('x-plain')).toBe('visible');
    expect(sent.get('authorization')).toBe('Bearer ••••••');
    expect(sent.get('x-api-key')).toBe('••••••');
    expect(sent.get('origin')).toBe('https://app.example');
    expect(sent.get('sec-websocket-protocol')).toBe('a,b');
    expect(sent.get('sec-websocket-key')).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(sent.get('host')).toBe(`127.0.0.1:${server.port}`);
    expect(steps).toEqual([expect.objectContaining({ leg: 'upgrade', ok: true, peer: `127.0.0.1:${server.port}` })]);
    await expect.poll(() => messages).toEqual(['first']);
  });

  it.each([true, false])('offers permessage-deflate only when compression is %s', async (compression) => {
    let offered: string | undefined;
    server = await startRawServer(({ socket, key, header }) => {
      offered = header('sec-websocket-extensions');
      socket.write(switchingProtocols(key, offered ? ['Sec-WebSocket-Extensions: permessage-deflate'] : []));
    });
    const socket = await connectTo(server.port);
    clientSockets.push(socket);
    const handle = startUpgrade({ url: server.url, socket, compression, deadline: new Deadline(1000) });
    if (handle.ws) clients.push(handle.ws);
    const outcome = await handle.opened;
    expect(offered !== undefined).toBe(compression);
    expect(outcome.extensions).toBe(compression ? 'permessage-deflate' : '');
  });

  it('reports a non-101 answer with status, headers and body', async () => {
    const body = '<html><body>Forbidden: no token</body></html>';
    const run = await upgradeAgainst(({ socket }) => {
      socket.write(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nX-Reason: no-token\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    });
    expectUpgradeFailure(run, 'UPGRADE_REJECTED');
    const response = run.error.netError.details.upgradeResponse;
    expect(response?.startLine).toBe('HTTP/1.1 403 Forbidden');
    expect(response?.headers).toContainEqual(['X-Reason', 'no-token']);
    expect(response?.bodyPreview).toBe(body);
    expect(response?.bodyTruncated).toBe(false);
    expect(run.error.netError.message).toContain('403 Forbidden');
    expect(run.error.netError.details.upgradeRequest?.startLine).toBe('GET /chat?room=1 HTTP/1.1');
    expect(run.steps[0]?.response?.startLine).toBe('HTTP/1.1 403 Forbidden');
  });

  it('caps a large non-101 body and does not wait for a server that keeps the connection open', async () => {
    const run = await upgradeAgainst(({ socket }) => {
      socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 100000\r\n\r\n');
      socket.write('x'.repeat(30_000)); // the rest never comes
    });
    expectUpgradeFailure(run, 'UPGRADE_REJECTED');
    const response = run.error.netError.details.upgradeResponse;
    expect(response?.bodyTruncated).toBe(true);
    expect(response?.bodyPreview?.length).toBe(8192);
  });

  it('rejects a wrong Sec-WebSocket-Accept', async () => {
    const run = await upgradeAgainst(({ socket }) => {
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n',
      );
    });
    expectUpgradeFailure(run, 'UPGRADE_BAD_ACCEPT');
    expect(run.error.netError.details.upgradeResponse?.headers).toContainEqual(['Sec-WebSocket-Accept', 'bm90IHRoZSByaWdodCBrZXk=']);
  });

  it('rejects a subprotocol that was not requested', async () => {
    const run = await upgradeAgainst(({ socket, key }) => socket.write(switchingProtocols(key, ['Sec-WebSocket-Protocol: mqtt'])), {
      subprotocols: ['chat'],
    });
    expectUpgradeFailure(run, 'UPGRADE_UNREQUESTED_SUBPROTOCOL');
    expect(run.error.netError.message).toContain('"mqtt"');
  });

  it('rejects a subprotocol when none was requested', async () => {
    const run = await upgradeAgainst(({ socket, key }) => socket.write(switchingProtocols(key, ['Sec-WebSocket-Protocol: chat'])));
    expectUpgradeFailure(run, 'UPGRADE_UNREQUESTED_SUBPROTOCOL');
  });

  it('rejects an answer without a subprotocol when one was requested', async () => {
    const run = await upgradeAgainst(({ socket, key }) => socket.write(switchingProtocols(key)), { subprotocols: ['chat', 'v2'] });
    expectUpgradeFailure(run, 'UPGRADE_MISSING_SUBPROTOCOL');
  });

  it('times out when the server never answers (HANDSHAKE_TIMEOUT within the deadline)', async () => {
    const run = await upgradeAgainst(() => undefined, {}, 300);
    expectUpgradeFailure(run, 'HANDSHAKE_TIMEOUT');
    expect(run.error.netError.details.timeoutMs).toBe(300);
  });

  it('uses the caller’s failure for a passed deadline (the overall open deadline)', async () => {
    const run = await upgradeAgainst(() => undefined, { onTimeout: () => NetFailure.of('upgrade', 'OPEN_TIMEOUT', { timeoutMs: 300 }) }, 300);
    expectUpgradeFailure(run, 'OPEN_TIMEOUT');
  });

  it('reports a connection closed before any answer', async () => {
    const run = await upgradeAgainst(({ socket }) => socket.end());
    expectUpgradeFailure(run, 'UPGRADE_CONNECTION_CLOSED');
    expect(run.error.netError.details.cause).toBe('ECONNRESET');
  });

  it('reports a connection reset before any answer', async () => {
    const run = await upgradeAgainst(({ socket }) => socket.resetAndDestroy());
    expectUpgradeFailure(run, 'UPGRADE_CONNECTION_CLOSED');
  });

  it('reports an answer that is not HTTP', async () => {
    const run = await upgradeAgainst(({ socket }) => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    expectUpgradeFailure(run, 'UPGRADE_INVALID_RESPONSE');
    expect(run.error.netError.details.cause).toMatch(/^HPE_/);
  });

  it('reports a 101 without Upgrade: websocket', async () => {
    const run = await upgradeAgainst(({ socket, key }) => {
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${key}\r\n\r\n`);
    });
    expectUpgradeFailure(run, 'UPGRADE_INVALID_RESPONSE');
  });

  it('reports a header value HTTP cannot carry, without sending anything', async () => {
    let requests = 0;
    server = await startRawServer(() => requests++);
    const socket = await connectTo(server.port);
    clientSockets.push(socket);
    const handle = startUpgrade({
      url: `ws://127.0.0.1:${server.port}/`,
      socket,
      headers: [{ name: 'X-Euro', value: '€' }],
      deadline: new Deadline(500),
    });
    const error: unknown = await handle.opened.catch((e: unknown) => e);
    expect(error instanceof NetFailure && error.netError.code).toBe('UPGRADE_INVALID_REQUEST');
    expect(error instanceof NetFailure && error.netError.stage).toBe('upgrade');
    expect(socket.destroyed).toBe(true);
    expect(requests).toBe(0);
  });

  it('stops at once when aborted, with the abort reason and no step', async () => {
    server = await startRawServer(() => undefined);
    const socket = await connectTo(server.port);
    clientSockets.push(socket);
    const controller = new AbortController();
    const steps: HandshakeStep[] = [];
    const handle = startUpgrade({
      url: `ws://127.0.0.1:${server.port}/`,
      socket,
      deadline: new Deadline(5000),
      signal: controller.signal,
      onStep: (step) => steps.push(step),
    });
    setTimeout(() => controller.abort(new Error('closed by the user')), 50);
    const error: unknown = await handle.opened.catch((e: unknown) => e);
    // The abort's reason, not the deadline's timeout.
    expect(error instanceof Error && error.message).toBe('closed by the user');
    expect(socket.destroyed).toBe(true);
    expect(steps).toEqual([]);
  });
});
