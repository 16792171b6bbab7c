import { afterEach, describe, expect, it } from 'vitest';
import {
  closeFrame,
  readClientFrames,
  serverFrame,
  startRawServer,
  switchingProtocols,
  type ClientFrame,
  type RawServer,
  type RawUpgrade,
} from '../../support/raw-ws-server';
import { startSession, type Harness } from '../../support/session-harness';

let server: RawServer | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.session.dispose();
  harness = undefined;
  await server?.close();
  server = undefined;
});

/** A server that upgrades, records the client's frames, answers a close, then runs `script`. */
async function serve(script: (upgrade: RawUpgrade, received: ClientFrame[]) => void, received: ClientFrame[] = []): Promise<RawServer> {
  return startRawServer((upgrade) => {
    const { socket, key } = upgrade;
    socket.write(switchingProtocols(key));
    readClientFrames(socket, (frame) => {
      received.push(frame);
      if (frame.opcode === 0x8) socket.end(); // the client's close (or its echo of ours): done
    });
    script(upgrade, received);
  });
}

const closeStatus = (frame: ClientFrame | undefined): number | undefined =>
  frame && frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;

describe('a session after open', () => {
  it('fails with 1007 on invalid UTF-8 and keeps the frames received before it', async () => {
    const received: ClientFrame[] = [];
    server = await serve(({ socket }) => {
      socket.write(Buffer.concat([serverFrame(0x1, 'hello'), serverFrame(0x2, Buffer.from([1, 2, 3])), serverFrame(0x1, Buffer.from([0xff, 0xfe]))]));
    }, received);
    harness = startSession({ url: server.url });
    // Failed at once (1007 with the cause), not after a close timeout (CLOSE_TIMEOUT).
    const closed = await harness.closed(10_000);
    const [error] = harness.of('error');
    expect(error?.error.stage).toBe('protocol');
    expect(error?.error.code).toBe('PROTOCOL_INVALID_UTF8');
    expect(error?.error.details.closeCode).toBe(1007);
    expect(error?.error.details.cause).toBe('WS_ERR_INVALID_UTF8');
    expect(closed).toMatchObject({ code: 1007, wasClean: false, initiatedBy: 'none' });
    expect(harness.states()).toEqual(['resolving-proxy', 'connecting', 'upgrading', 'open', 'failed']);
    const frames = harness.frames();
    expect(frames.map((f) => [f.seq, f.dir, f.opcode])).toEqual([
      [1, 'in', 'text'],
      [2, 'in', 'binary'],
      [3, 'out', 'close'],
    ]);
    expect(frames[2]?.closeCode).toBe(1007);
    expect(harness.session.frames.get(1)?.text).toBe('hello');
    await expect.poll(() => closeStatus(received.find((f) => f.opcode === 0x8))).toBe(1007);
    // Error, then the failed state, then closed: and frames always before them.
    const order = harness.events.map((e) => e.type).filter((t) => t !== 'handshake' && t !== 'stats');
    expect(order.slice(-4)).toEqual(['frames', 'error', 'state', 'closed']);
  });

  it('fails with 1009 on a message larger than maxMessageBytes', async () => {
    const received: ClientFrame[] = [];
    server = await serve(({ socket }) => {
      socket.write(Buffer.concat([serverFrame(0x1, 'small'), serverFrame(0x2, Buffer.alloc(64, 9))]));
    }, received);
    harness = startSession({ url: server.url, maxMessageBytes: 32 });
    const closed = await harness.closed(1500);
    const [error] = harness.of('error');
    expect(error?.error).toMatchObject({ stage: 'protocol', code: 'PROTOCOL_MESSAGE_TOO_BIG' });
    expect(error?.error.details.closeCode).toBe(1009);
    expect(closed.code).toBe(1009);
    expect(harness.frames().map((f) => f.preview)).toEqual(['small', '']);
    expect(harness.frames()[1]?.closeCode).toBe(1009);
    await expect.poll(() => closeStatus(received.find((f) => f.opcode === 0x8))).toBe(1009);
  });

  it('reports a reset as a transport error and keeps what arrived', async () => {
    server = await serve(({ socket }) => {
      socket.write(serverFrame(0x1, 'before the reset'));
      setTimeout(() => socket.resetAndDestroy(), 50);
    });
    harness = startSession({ url: server.url });
    const closed = await harness.closed(1500);
    const [error] = harness.of('error');
    expect(error?.error).toMatchObject({ stage: 'transport', code: 'CONNECTION_RESET' });
    expect(error?.error.details.cause).toBe('ECONNRESET');
    expect(closed).toMatchObject({ code: null, wasClean: false, initiatedBy: 'none' });
    expect(harness.session.state).toBe('failed');
    expect(harness.session.frames.get(1)?.text).toBe('before the reset');
  });

  it('reports a connection that ends without a close frame as lost', async () => {
    server = await serve(({ socket }) => {
      socket.write(serverFrame(0x1, 'bye'));
      setTimeout(() => socket.destroy(), 50);
    });
    harness = startSession({ url: server.url });
    await harness.closed(1500);
    expect(harness.of('error')[0]?.error).toMatchObject({ stage: 'transport', code: 'CONNECTION_LOST' });
    expect(harness.frames()).toHaveLength(1);
  });

  it('reports a server close with its code and reason, echoed once', async () => {
    const received: ClientFrame[] = [];
    server = await serve(({ socket }) => {
      socket.write(Buffer.concat([serverFrame(0x1, 'last words'), closeFrame(4001, 'maintenance')]));
    }, received);
    harness = startSession({ url: server.url });
    const closed = await harness.closed(1500);
    expect(closed).toMatchObject({ code: 4001, reason: 'maintenance', wasClean: true, initiatedBy: 'server' });
    expect(harness.of('error')).toEqual([]);
    expect(harness.states().slice(-3)).toEqual(['open', 'closing', 'closed']);
    const frames = harness.frames();
    expect(frames.map((f) => `${f.dir} ${f.opcode} ${f.closeCode ?? ''}`)).toEqual(['in text ', 'in close 4001', 'out close 4001']);
    expect(frames[1]?.closeReason).toBe('maintenance');
    expect(closeStatus(received.find((f) => f.opcode === 0x8))).toBe(4001);
  });

  it('answers a ping with a pong and records both', async () => {
    const received: ClientFrame[] = [];
    server = await serve(({ socket }) => socket.write(serverFrame(0x9, 'are you there')), received);
    harness = startSession({ url: server.url });
    await expect.poll(() => received.find((f) => f.opcode === 0xa)?.payload.toString()).toBe('are you there');
    await expect.poll(() => harness?.frames().map((f) => `${f.dir} ${f.opcode}`)).toEqual(['in ping', 'out pong']);
  });

  it('sends text, binary, ping and pong and records them in order with their seqs', async () => {
    const received: ClientFrame[] = [];
    server = await serve(() => undefined, received);
    harness = startSession({ url: server.url });
    await harness.opened();
    const { session } = harness;
    expect(session.send('text', Buffer.from('hi'))).toBe(1);
    expect(session.send('binary', Buffer.from([0xde, 0xad]))).toBe(2);
    expect(session.send('ping', Buffer.from('p'))).toBe(3);
    expect(session.send('pong', Buffer.alloc(0))).toBe(4);
    await expect.poll(() => received.map((f) => f.opcode)).toEqual([0x1, 0x2, 0x9, 0xa]);
    expect(received[0]?.payload.toString()).toBe('hi');
    await expect.poll(() => harness?.frames().map((f) => f.opcode)).toEqual(['text', 'binary', 'ping', 'pong']);
  });

  it('sends a burst made in one go intact and in order, with a close made right after it going out last', async () => {
    const received: ClientFrame[] = [];
    server = await startRawServer(({ socket, key }) => {
      socket.write(switchingProtocols(key));
      readClientFrames(socket, (frame) => {
        received.push(frame);
        if (frame.opcode === 0x8) socket.write(closeFrame(1000), () => socket.end());
      });
    });
    harness = startSession({ url: server.url });
    await harness.opened();
    const { session } = harness;
    // One synchronous burst, then a close in the same turn of the event loop.
    const seqs = Array.from({ length: 200 }, (_, i) => session.send('text', Buffer.from(`message ${i}`)));
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Ends when the server answers (a clean close below), not at the close timeout.
    await session.close(1000, 'done');
    expect(received.slice(0, -1).map((f) => `${f.opcode} ${f.payload.toString()}`)).toEqual(Array.from({ length: 200 }, (_, i) => `1 message ${i}`));
    const last = received.at(-1);
    expect([last?.opcode, closeStatus(last), last?.payload.subarray(2).toString()]).toEqual([0x8, 1000, 'done']);
    expect(harness.of('closed')[0]).toMatchObject({ code: 1000, wasClean: true, initiatedBy: 'client' });
  });

  it('closes on request with one close frame and ends when the server answers', async () => {
    const received: ClientFrame[] = [];
    server = await startRawServer(({ socket, key }) => {
      socket.write(switchingProtocols(key));
      readClientFrames(socket, (frame) => {
        received.push(frame);
        if (frame.opcode === 0x8) socket.write(closeFrame(4000, 'ok, bye'), () => socket.end());
      });
    });
    harness = startSession({ url: server.url });
    await harness.opened();
    await harness.session.close(4000, 'bye');
    const [closed] = harness.of('closed');
    expect(closed).toMatchObject({ code: 4000, reason: 'ok, bye', wasClean: true, initiatedBy: 'client' });
    expect(received.filter((f) => f.opcode === 0x8)).toHaveLength(1);
    expect(harness.frames().map((f) => `${f.dir} ${f.closeCode ?? ''} ${f.closeReason ?? ''}`)).toEqual([
      'out 4000 bye',
      'in 4000 ok, bye',
    ]);
    expect(harness.session.send('text', Buffer.from('late'))).toBeUndefined();
  });

  it('cuts the connection when the server never answers the close, and says so', async () => {
    server = await startRawServer(({ socket, key }) => socket.write(switchingProtocols(key)));
    // Real time with a short deadline: only the outcome is asserted (keepalive.test.ts has it under fake time).
    harness = startSession({ url: server.url }, { closeTimeoutMs: 300 });
    await harness.opened();
    await harness.session.close();
    expect(harness.of('closed')[0]).toMatchObject({ code: null, wasClean: false, initiatedBy: 'client' });
    expect(harness.of('error')[0]?.error).toMatchObject({ stage: 'transport', code: 'CLOSE_TIMEOUT' });
  });
});
