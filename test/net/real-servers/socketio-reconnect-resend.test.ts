/**
 * The reconnect's resend against a real socket.io 4.8 server (WebSocket only, 127.0.0.1 port 0)
 * through the Engine: the user connects the namespaces "/" and "/admin" (with auth) by hand
 * ("40", "40/admin,{…}"); the server then cuts every connection. When attempt 2 opens, the
 * engine sends both CONNECTs again at once (before the server's Engine.IO open packet has been
 * read), and the server connects both namespaces again, the auth as sent. A namespace the server
 * disconnected itself (its DISCONNECT packet, socket.disconnect(): socket.io-client does not
 * join it again either, "io server disconnect") is not joined again. Waits end on the server's
 * own connection records, never on time; the reconnect wait is on a ManualClock.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
import { ManualClock } from '../../support/manual-clock';
import { valueOf } from '../../unit/profiles/profile-fixtures';

let engine: Engine | undefined;
let io: SocketIoServer | undefined;
let httpServer: http.Server | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
  io = undefined;
  httpServer = undefined;
});

/** Connects '/' and '/admin' by hand, lets `cut` end the connection, and returns the namespaces the server saw joined, in order, and the last report. */
async function scenario(cut: (server: SocketIoServer) => void, joinsWanted: number, alsoSend: string[] = []) {
  const seen: string[] = [];
  const wakers = new Set<() => void>();
  const note = (line: string): void => {
    seen.push(line);
    for (const wake of [...wakers]) wake();
  };
  const until = async (ready: () => boolean): Promise<void> => {
    while (!ready()) await new Promise<void>((resolve) => wakers.add(() => (wakers.clear(), resolve())));
  };
  httpServer = http.createServer();
  io = new SocketIoServer(httpServer, { transports: ['websocket'] });
  io.of('/').on('connection', (socket) => note(`/ ${JSON.stringify(socket.handshake.auth)}`));
  io.of('/admin').on('connection', (socket) => note(`/admin ${JSON.stringify(socket.handshake.auth)}`));
  // A namespace whose middleware refuses every join: the server answers CONNECT_ERROR.
  io.of('/locked').use((socket, next) => {
    note(`refused /locked ${JSON.stringify(socket.handshake.auth)}`);
    next(new Error('Not authorized'));
  });
  const server = httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;

  const clock = new ManualClock();
  engine = new Engine({ host: 'cli', version: 't', env: {}, batch: { intervalMs: 1 }, clock });
  const events: EngineEvent[] = [];
  let opens = 0;
  engine.onEvent((event) => {
    events.push(event);
    if (event.type === 'attempt' && event.record.next) {
      const wait = event.record.next.waitMs;
      setImmediate(() => clock.advance(wait));
    }
    if (event.type === 'state' && event.state === 'open') note(`open ${++opens}`);
    if (event.type === 'resent') note('resent');
    for (const wake of [...wakers]) wake();
  });
  const url = `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
  const { sessionId } = valueOf(await engine.call('session:open', { options: { url, proxy: { mode: 'none' }, reconnect: { resend: 'subscriptions' } } }));
  await until(() => seen.includes('open 1'));
  valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: '40' }));
  valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: '40/admin,{"token":"t0k"}' }));
  for (const message of alsoSend) valueOf(await engine.call('session:send', { sessionId, kind: 'text', data: message }));
  await until(() => seen.filter((line) => line.startsWith('/')).length === 2 && seen.filter((line) => line.startsWith('refused')).length === alsoSend.length);
  // The server's answers to the joins are in the log before the cut.
  await until(() => events.filter((e) => e.type === 'frames' && e.frames.some((f) => f.dir === 'in' && f.preview.startsWith('44'))).length >= Math.min(1, alsoSend.length));
  cut(io);
  await until(() => seen.filter((line) => line.startsWith('/')).length >= joinsWanted && events.some((event) => event.type === 'resent'));
  const report = events.flatMap((event) => (event.type === 'resent' ? [event] : [])).at(-1);
  return { joined: seen.filter((line) => line.startsWith('/') || line.startsWith('refused')), report };
}

describe('reconnect resend against socket.io', () => {
  it("attempt 2 connects '/' and '/admin' again, the auth as sent", async () => {
    // The connection is cut under the namespaces (no DISCONNECT packet): a drop, both are joined again.
    const { joined, report } = await scenario((server) => {
      for (const socket of server.of('/').sockets.values()) socket.conn.close();
    }, 4);
    expect(joined).toEqual(['/ {}', '/admin {"token":"t0k"}', '/ {}', '/admin {"token":"t0k"}']);
    expect(report?.sent.map((s) => s.label)).toEqual(['Socket.IO CONNECT /', 'Socket.IO CONNECT /admin']);
    expect(JSON.stringify(report)).not.toContain('t0k');
  });

  it("a namespace the server disconnected ('/admin': its DISCONNECT packet) is not joined again; '/' is", async () => {
    const { joined, report } = await scenario((server) => {
      for (const socket of server.of('/admin').sockets.values()) socket.disconnect();
      // The DISCONNECT goes out before the cut (one socket, in order).
      for (const socket of server.of('/').sockets.values()) socket.conn.close();
    }, 3);
    expect(joined).toEqual(['/ {}', '/admin {"token":"t0k"}', '/ {}']);
    expect(report?.sent.map((s) => s.label)).toEqual(['Socket.IO CONNECT /']);
  });

  it("a namespace the server refused ('/locked': its middleware, CONNECT_ERROR) is not joined again, and the notice says the server refused it", async () => {
    const { joined, report } = await scenario(
      (server) => {
        for (const socket of server.of('/').sockets.values()) socket.conn.close();
      },
      4,
      ['40/locked,{"token":"nope"}'],
    );
    // Attempt 1's three in the order the server got to them; attempt 2's two.
    expect([...joined.slice(0, 3)].sort()).toEqual(['/ {}', '/admin {"token":"t0k"}', 'refused /locked {"token":"nope"}']);
    expect(joined.slice(3)).toEqual(['/ {}', '/admin {"token":"t0k"}']);
    expect(report?.sent.map((s) => s.label)).toEqual(['Socket.IO CONNECT /', 'Socket.IO CONNECT /admin']);
    expect(report?.notSent).toEqual(["Socket.IO CONNECT /locked: the server refused it (CONNECT_ERROR 'Not authorized')"]);
    expect(JSON.stringify(report)).not.toContain('nope');
  });
});
