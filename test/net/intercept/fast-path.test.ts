/**
 * The relay's fast path (raw-frame-tap.ts) on real sockets: a plain ws:// connection through
 * the intercepting proxy, with a hand-driven client and server that see every byte. A whole
 * message frame that no breakpoint could hold crosses as the bytes it came in (a client's frame
 * keeps the client's own mask) and is still captured; a breakpoint added mid-connection takes
 * the next frame through ws (held, then sent with the proxy's own mask); fragments, the control
 * frames between them, frames cut across reads and a client that vanishes mid-frame keep their
 * behaviour.
 */
import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InterceptBreakpoints } from '../../../src-main/core/intercept/breakpoints';
import { makeInterceptCa, readHead, report, startIntercept, waitUntil, type InterceptCaDir, type RunningIntercept } from '../../support/intercept-fixture';
import { connectTo, serverFrame, startRawServer, switchingProtocols, type RawServer, type RawUpgrade } from '../../support/raw-ws-server';

const MASK = Buffer.from([0xa1, 0xb2, 0xc3, 0xd4]);

/** A client frame masked with MASK. */
function clientFrame(opcode: number, payload: Buffer | string, fin = true): Buffer {
  const body = Buffer.from(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload);
  const first = (fin ? 0x80 : 0) | opcode;
  let header: Buffer;
  if (body.length < 126) header = Buffer.from([first, 0x80 | body.length]);
  else if (body.length < 65536) {
    header = Buffer.from([first, 0x80 | 126, 0, 0]);
    header.writeUInt16BE(body.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(body.length), 2);
  }
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (MASK[i & 3] ?? 0);
  return Buffer.concat([header, MASK, body]);
}

interface Frame {
  opcode: number;
  fin: boolean;
  mask: Buffer | undefined;
  payload: Buffer;
  bytes: Buffer;
}

/** Everything a socket received after the upgrade, and the frames in it. */
class Received {
  data: Buffer;
  constructor(socket: net.Socket, first: Buffer = Buffer.alloc(0)) {
    this.data = first;
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
    });
    socket.resume();
  }

  frames(): Frame[] {
    const frames: Frame[] = [];
    let at = 0;
    const data = this.data;
    while (data.length - at >= 2) {
      const b0 = data[at] ?? 0;
      const b1 = data[at + 1] ?? 0;
      let length = b1 & 0x7f;
      let offset = at + 2;
      if (length === 126) {
        if (data.length < offset + 2) break;
        length = data.readUInt16BE(offset);
        offset += 2;
      } else if (length === 127) {
        if (data.length < offset + 8) break;
        length = Number(data.readBigUInt64BE(offset));
        offset += 8;
      }
      const masked = (b1 & 0x80) !== 0;
      const mask = masked ? data.subarray(offset, offset + 4) : undefined;
      if (masked) offset += 4;
      if (data.length < offset + length) break;
      const payload = Buffer.from(data.subarray(offset, offset + length));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
      frames.push({ opcode: b0 & 0x0f, fin: (b0 & 0x80) !== 0, mask: mask ? Buffer.from(mask) : undefined, payload, bytes: Buffer.from(data.subarray(at, offset + length)) });
      at = offset + length;
    }
    return frames;
  }

  waitFrames(count: number): Promise<Frame[]> {
    return waitUntil(`${count} frames`, () => {
      const frames = this.frames();
      return frames.length >= count ? frames : undefined;
    });
  }
}

let caDir: InterceptCaDir;
let run: RunningIntercept;
let server: RawServer;
let upgrades: RawUpgrade[];
let breakpoints: InterceptBreakpoints;
const clients: net.Socket[] = [];

beforeAll(async () => {
  caDir = await makeInterceptCa();
});

afterAll(() => caDir.cleanup());

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await run.stop();
  await server.close();
});

interface Relay {
  client: net.Socket;
  atClient: Received;
  serverSocket: net.Socket;
  atServer: Received;
  sessionId: string;
}

/** The proxy (with breakpoints, no rules), a raw server that accepts, and a raw client through the proxy (absolute-form ws://). */
async function openRelay(): Promise<Relay> {
  breakpoints = new InterceptBreakpoints();
  run = await startIntercept(caDir.ca, { proxy: { mode: 'none' }, deflate: 'strip' }, { breakpoints });
  upgrades = [];
  const atServerOf = new Map<net.Socket, Received>();
  server = await startRawServer((upgrade) => {
    upgrades.push(upgrade);
    atServerOf.set(upgrade.socket, new Received(upgrade.socket));
    upgrade.socket.write(switchingProtocols(upgrade.key));
  });
  const client = await connectTo(run.port);
  clients.push(client);
  client.write(
    [
      `GET ws://127.0.0.1:${server.port}/fast HTTP/1.1`,
      `Host: 127.0.0.1:${server.port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
  const { head, rest } = await readHead(client);
  expect(head).toMatch(/^HTTP\/1\.1 101 /);
  const atClient = new Received(client, rest);
  const upgrade = await waitUntil('the server upgrade', () => upgrades[0]);
  const atServer = atServerOf.get(upgrade.socket);
  if (!atServer) throw new Error('no recorder on the server side');
  const { sessionId } = await report(run, 'captured');
  return { client, atClient, serverSocket: upgrade.socket, atServer, sessionId };
}

/** The captured messages (text and binary) of a session, in order: direction and payload. */
async function capturedMessages(sessionId: string, count: number): Promise<{ dir: string; opcode: string; payload: Buffer }[]> {
  const frames = await pollEngine(`${count} captured messages`, async () => {
    const page = await run.engine.call('frames:page', { sessionId, fromSeq: 1, limit: 1000 });
    if (!page.ok) throw new Error(page.error.message);
    const messages = page.value.frames.filter((f) => f.opcode === 'text' || f.opcode === 'binary');
    return messages.length >= count ? messages : undefined;
  });
  const out: { dir: string; opcode: string; payload: Buffer }[] = [];
  for (const frame of frames) {
    const body = await run.engine.call('frames:get', { sessionId, seq: frame.seq });
    if (!body.ok) throw new Error(body.error.message);
    out.push({ dir: frame.dir, opcode: frame.opcode, payload: Buffer.from(body.value.base64, 'base64') });
  }
  return out;
}

/** waitUntil for a check that asks the engine (a promise): polled, at most 400 times. */
async function pollEngine<T>(what: string, pick: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await pick();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${what}`);
}

describe('the relay forwards whole frames as they came', () => {
  it('both ways byte-identical (the client frame keeps its own mask), each message still captured', async () => {
    const relay = await openRelay();
    const big = randomBytes(16 * 1024);
    const sent = [clientFrame(1, 'hello, server'), clientFrame(2, big)];
    relay.client.write(Buffer.concat(sent));
    await relay.atServer.waitFrames(2);
    expect(relay.atServer.data).toEqual(Buffer.concat(sent));
    const answers = [serverFrame(1, 'hello, client'), serverFrame(2, randomBytes(70_000))];
    relay.serverSocket.write(Buffer.concat(answers));
    await relay.atClient.waitFrames(2);
    expect(relay.atClient.data).toEqual(Buffer.concat(answers));
    const captured = await capturedMessages(relay.sessionId, 4);
    expect(captured.map((m) => [m.dir, m.opcode])).toEqual([
      ['out', 'text'],
      ['out', 'binary'],
      ['in', 'text'],
      ['in', 'binary'],
    ]);
    expect(captured[0]?.payload.toString()).toBe('hello, server');
    expect(captured[1]?.payload).toEqual(big);
    expect(captured[2]?.payload.toString()).toBe('hello, client');
    expect(captured[3]?.payload).toEqual(answers[1]?.subarray(10));
  });

  it('a frame cut across several reads crosses whole and unchanged', async () => {
    const relay = await openRelay();
    const payload = randomBytes(40_000);
    const frame = clientFrame(2, payload);
    for (const [from, to] of [
      [0, 3],
      [3, 9000],
      [9000, frame.length],
    ] as const) {
      relay.client.write(frame.subarray(from, to));
      // Each piece its own read on the proxy's side, most likely: nothing is asserted about it.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [atServer] = await relay.atServer.waitFrames(1);
    expect(atServer?.bytes).toEqual(frame);
    const back = serverFrame(2, payload);
    relay.serverSocket.write(back.subarray(0, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    relay.serverSocket.write(back.subarray(1));
    const [atClient] = await relay.atClient.waitFrames(1);
    expect(atClient?.bytes).toEqual(back);
    const captured = await capturedMessages(relay.sessionId, 2);
    expect(captured.map((m) => m.payload)).toEqual([payload, payload]);
  });

  it('a breakpoint added mid-connection takes the next frame off the fast path (held, then sent by ws), and removing it puts the next one back', async () => {
    const relay = await openRelay();
    relay.client.write(clientFrame(1, 'one'));
    const [first] = await relay.atServer.waitFrames(1);
    expect(first?.bytes).toEqual(clientFrame(1, 'one'));
    const paused: number[] = [];
    breakpoints.listen((event) => {
      if (event.type === 'paused') paused.push(event.id);
    });
    expect(breakpoints.setRules([{ direction: 'out', text: 'HOLD' }]).ok).toBe(true);
    relay.client.write(Buffer.concat([clientFrame(1, 'HOLD two'), clientFrame(1, 'three')]));
    await waitUntil('the held message', () => paused.length === 1 || undefined);
    // Held, and the one behind it waits: the server got nothing more.
    expect(relay.atServer.frames()).toHaveLength(1);
    expect(breakpoints.forwardAll(relay.sessionId)).toBe(1);
    const frames = await relay.atServer.waitFrames(3);
    expect(frames.slice(1).map((f) => f.payload.toString())).toEqual(['HOLD two', 'three']);
    // Sent by the session's ws: masked with its own key, not the client's bytes.
    expect(frames[1]?.bytes).not.toEqual(clientFrame(1, 'HOLD two'));
    expect(frames[2]?.bytes).not.toEqual(clientFrame(1, 'three'));
    expect(breakpoints.setRules([]).ok).toBe(true);
    relay.client.write(clientFrame(1, 'four'));
    const after = await relay.atServer.waitFrames(4);
    expect(after[3]?.bytes).toEqual(clientFrame(1, 'four'));
    const captured = await capturedMessages(relay.sessionId, 4);
    expect(captured.map((m) => `${m.dir} ${m.payload.toString()}`)).toEqual(['out one', 'out HOLD two', 'out three', 'out four']);
  });

  it('fragments with a ping between them go through ws as one message, in order with the whole frame after them', async () => {
    const relay = await openRelay();
    relay.client.write(Buffer.concat([clientFrame(1, 'frag-1 ', false), clientFrame(9, 'ping!'), clientFrame(0, 'frag-2'), clientFrame(1, 'after')]));
    // The proxy answers the client's ping itself (each side keeps its own pings).
    const atClient = await relay.atClient.waitFrames(1);
    expect(atClient[0]).toMatchObject({ opcode: 10 });
    expect(atClient[0]?.payload.toString()).toBe('ping!');
    const atServer = await relay.atServer.waitFrames(2);
    expect(atServer.map((f) => [f.opcode, f.fin, f.payload.toString()])).toEqual([
      [1, true, 'frag-1 frag-2'],
      [1, true, 'after'],
    ]);
    expect(atServer[1]?.bytes).toEqual(clientFrame(1, 'after'));
    // The server's side: fragments and a ping between them, then a whole frame.
    relay.serverSocket.write(Buffer.concat([serverFrame(2, Buffer.from([1, 2]), false), serverFrame(9, 'srv-ping'), serverFrame(0, Buffer.from([3])), serverFrame(1, 'whole')]));
    const back = await relay.atClient.waitFrames(3);
    expect(back.slice(1).map((f) => [f.opcode, f.fin, f.payload.toString('hex')])).toEqual([
      [2, true, '010203'],
      [1, true, Buffer.from('whole').toString('hex')],
    ]);
    // The session answered the server's ping.
    const pong = await relay.atServer.waitFrames(3);
    expect(pong[2]).toMatchObject({ opcode: 10 });
    const captured = await capturedMessages(relay.sessionId, 4);
    expect(captured.map((m) => `${m.dir} ${m.opcode} ${m.payload.toString('hex')}`)).toEqual([
      `out text ${Buffer.from('frag-1 frag-2').toString('hex')}`,
      `out text ${Buffer.from('after').toString('hex')}`,
      'in binary 010203',
      `in text ${Buffer.from('whole').toString('hex')}`,
    ]);
  });

  it('a client that stops reading: the server stops being read once the client\'s socket holds 16 MiB, and all of it arrives, in order, when the client reads again', async () => {
    const relay = await openRelay();
    // The client stops reading; what comes is kept in chunks (the Received recorder would copy 40 MiB over and over).
    relay.client.removeAllListeners('data');
    relay.client.pause();
    const chunks: Buffer[] = [];
    const frames = Array.from({ length: 40 }, (_, i) => serverFrame(2, Buffer.alloc(1024 * 1024, i)));
    relay.serverSocket.write(Buffer.concat(frames));
    const capturedIn = async (): Promise<number> => {
      const page = await run.engine.call('frames:page', { sessionId: relay.sessionId, fromSeq: 1, limit: 1000 });
      if (!page.ok) throw new Error(page.error.message);
      return page.value.frames.filter((f) => f.dir === 'in' && f.opcode === 'binary').length;
    };
    // The proxy stopped reading the server: the capture stays short of 40 while the server still holds bytes it could not send.
    let last = -1;
    let same = 0;
    await pollEngine('the server no longer read', async () => {
      const count = await capturedIn();
      same = count === last ? same + 1 : 0;
      last = count;
      return same >= 10 && count < frames.length && relay.serverSocket.writableLength > 0 ? true : undefined;
    });
    relay.client.on('data', (chunk: Buffer) => chunks.push(chunk));
    relay.client.resume();
    const expected = Buffer.concat(frames);
    await waitUntil('everything at the client', () => chunks.reduce((sum, chunk) => sum + chunk.length, 0) >= expected.length || undefined);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    await pollEngine('all 40 captured', async () => ((await capturedIn()) === frames.length ? true : undefined));
  });

  it('a client that vanishes mid-frame: nothing of that frame reaches the server, which gets 1001', async () => {
    const relay = await openRelay();
    relay.client.write(clientFrame(1, 'complete'));
    await relay.atServer.waitFrames(1);
    const frame = clientFrame(2, randomBytes(5000));
    relay.client.write(frame.subarray(0, 2500));
    await new Promise((resolve) => setTimeout(resolve, 20));
    relay.client.destroy();
    const frames = await relay.atServer.waitFrames(2);
    expect(frames.map((f) => f.opcode)).toEqual([1, 8]);
    expect(frames[1]?.payload.readUInt16BE(0)).toBe(1001);
    relay.serverSocket.end();
    await waitUntil('the session ended', () => run.events.some((e) => e.type === 'closed' && e.sessionId === relay.sessionId) || undefined);
    const captured = await capturedMessages(relay.sessionId, 1);
    expect(captured.map((m) => m.payload.toString())).toEqual(['complete']);
  });
});
