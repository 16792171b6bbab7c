/**
 * Socket.IO frames exploratory QA found odd (issue 14), sent raw through a plain `ws` client to a
 * real socket.io 4.8 server (its socket.io-parser 4.2.7; Engine.IO 4, and 3 for the heartbeat's
 * direction and the CONNECT answer; WebSocket only, on 127.0.0.1 port 0): what the server does
 * with each, next to what socketio-decoder.ts says of it. A frame the server refuses closes the
 * connection, and the decoder says it is not valid; a frame it takes is dispatched as the
 * summary says. Each case ends on a close or on a later event the server handles in order (a
 * sentinel), never on time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer, type Socket } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import type { DecodeOutcome, WireFrame } from '../../../src-main/core/decode/decoded-frame';

/** What the server did, in order: handler calls with their arguments as JSON ('ack()' for an ack callback). */
const seen: string[] = [];
const wakers = new Set<() => void>();

/** Wakes whatever waits on what the client got or the server did. */
function wakeAll(): void {
  for (const wake of [...wakers]) wake();
}

function note(line: string): void {
  seen.push(line);
  wakeAll();
}

/** Resolves once `ready()` holds, checked at each message, close and server-side record. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) {
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        wakers.delete(wake);
        resolve();
      };
      wakers.add(wake);
    });
  }
}

function shown(args: readonly unknown[]): string {
  return args.map((arg) => (typeof arg === 'function' ? 'ack()' : JSON.stringify(arg))).join(',');
}

function listen(name: string, socket: Socket): void {
  note(`${name} connection auth=${JSON.stringify(socket.handshake.auth)}`);
  socket.onAny((...args: unknown[]) => note(`${name} onAny(${shown(args)})`));
  // A number is a name: EventEmitter keys are strings, so `on(1)` and `on('1')` are one handler.
  socket.on('1', (...args: unknown[]) => note(`${name} on('1')(${shown(args)})`));
  socket.on('chat', (...args: unknown[]) => note(`${name} on('chat')(${shown(args)})`));
  socket.on('error', (error: Error) => note(`${name} error ${error.message}`));
  socket.on('disconnect', (reason: string) => note(`${name} disconnect ${reason}`));
  // An emit waiting for the client's ack: how an ACK frame is answered.
  socket.emitWithAck('ask').then(
    (answer: unknown) => note(`${name} ask answered (${answer === undefined ? '' : JSON.stringify(answer)})`),
    () => undefined,
  );
}

let io: SocketIoServer | undefined;
let port = 0;
/** The `/slow` namespace's middleware calls, held until the test lets them go. */
const held: ((error?: Error) => void)[] = [];

beforeAll(async () => {
  const server = http.createServer();
  // allowEIO3: socket.io v2 clients (Engine.IO 3, Socket.IO protocol 4) are answered too.
  io = new SocketIoServer(server, { transports: ['websocket'], allowEIO3: true });
  io.of('/').on('connection', (socket) => listen('/', socket));
  io.of('/admin').on('connection', (socket) => listen('/admin', socket));
  // Connecting takes as long as the test holds it: what the server does with packets meanwhile.
  io.of('/slow').use((_socket, next) => {
    held.push(next);
    note('/slow middleware');
  });
  io.of('/slow').on('connection', (socket) => listen('/slow', socket));
  io.of('/refusing').use((_socket, next) => next(new Error('nope')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  // Closes the HTTP server too.
  await io?.close();
  io = undefined;
});

/** A raw Engine.IO WebSocket client that keeps what it got and whether the server closed it. */
class RawClient {
  readonly got: string[] = [];
  closed = false;
  private readonly ws: WebSocket;

  constructor(engineVersion: 3 | 4 = 4) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=${engineVersion}&transport=websocket`);
    this.ws.on('message', (data) => {
      this.got.push(String(data));
      wakeAll();
    });
    this.ws.on('close', () => {
      this.closed = true;
      wakeAll();
    });
  }

  send(text: string): void {
    this.ws.send(text);
  }

  /** Waits for the Engine.IO open packet, and clears the record. */
  async opened(): Promise<void> {
    await until(() => this.got.length > 0);
    seen.length = 0;
  }

  /** The id of the server's `ask` emit on `nsp` (waits for it). */
  async askId(nsp: string): Promise<string> {
    const pattern = new RegExp(`^42${nsp === '/' ? '' : `${nsp},`}(\\d+)\\["ask"\\]$`);
    await until(() => this.got.some((text) => pattern.test(text)));
    const id = this.got.map((text) => pattern.exec(text)?.[1]).find((found) => found !== undefined);
    if (id === undefined) throw new Error('no ask');
    return id;
  }

  end(): void {
    this.ws.terminate();
  }
}

/** Connects to `nsp`, and returns the client once the server's ask has come, the record cleared. */
async function connected(nsp: '/' | '/admin'): Promise<{ client: RawClient; ask: string }> {
  const client = new RawClient();
  await client.opened();
  client.send(nsp === '/' ? '40' : '40/admin,');
  const ask = await client.askId(nsp);
  seen.length = 0;
  return { client, ask };
}

/** The decoder's reading of the last of these text frames, read in order from the first. */
function readInOrder(frames: readonly (readonly [WireFrame['dir'], string])[], engineVersion: 3 | 4 = 4): string | undefined {
  const decoder = new SocketIoDecoder({ engineVersion });
  let summary: string | undefined;
  frames.forEach(([dir, text], k) => {
    summary = decoder.decode({ seq: k + 1, dir, opcode: 'text', bytes: Buffer.from(text, 'utf8') })?.summary;
  });
  return summary;
}

/** The decoder's reading of one text frame, by default one the client sent under Engine.IO 4. */
function decodedOut(text: string, dir: WireFrame['dir'] = 'out', engineVersion: 3 | 4 = 4): DecodeOutcome | undefined {
  const frame: WireFrame = { seq: 1, dir, opcode: 'text', bytes: Buffer.from(text, 'utf8') };
  return new SocketIoDecoder({ engineVersion }).decode(frame);
}

describe('raw Socket.IO frames against a socket.io 4.8 server', () => {
  it.each([
    ['`4` alone', '/', '4'],
    ['an EVENT whose payload is not an array', '/', '42{"a":1}'],
    ['an EVENT with an empty array', '/', '42[]'],
    ['an EVENT named null', '/', '42[null]'],
    ['an EVENT with a reserved name', '/admin', '42/admin,["connect"]'],
    ['an ACK whose payload is not an array', '/', '431"x"'],
    ['a DISCONNECT with a payload', '/', '41x'],
    ['a BINARY_ACK with no attachment count', '/', '461'],
    // socket.io-parser takes it, the server refuses it from a client (Client.ondecoded: "invalid state").
    ['a CONNECT_ERROR from the client', '/', '44{"message":"x"}'],
  ] as const)('%s: the server closes the connection, the decoder says not valid', async (_name, nsp, frame) => {
    const { client } = await connected(nsp);
    client.send(frame);
    await until(() => client.closed && seen.some((line) => line.endsWith('disconnect forced close')));
    expect(decodedOut(frame)?.kind).toBe('invalid');
    client.end();
  });

  it.each([
    ['a string', '40"x"'],
    ['null', '40null'],
    ['an array', '40[]'],
  ])('a CONNECT whose payload is %s: no connection, the decoder says not valid', async (_name, frame) => {
    const client = new RawClient();
    await client.opened();
    client.send(frame);
    await until(() => client.closed);
    expect(seen).toEqual([]);
    expect(decodedOut(frame)?.kind).toBe('invalid');
  });

  it('a text message while a binary event waits for its attachment: the server closes the connection', async () => {
    const { client } = await connected('/');
    const header = '451-["chat",{"_placeholder":true,"num":0}]';
    client.send(header);
    client.send('42["chat"]');
    await until(() => client.closed);
    expect(seen).toContain('/ error got plaintext data when reconstructing a packet');
    const decoder = new SocketIoDecoder({ engineVersion: 4 });
    decoder.decode({ seq: 1, dir: 'out', opcode: 'text', bytes: Buffer.from(header) });
    expect(decoder.decode({ seq: 2, dir: 'out', opcode: 'text', bytes: Buffer.from('42["chat"]') })?.summary).toBe(
      'not valid Socket.IO: a text message while a binary event waits for its attachments',
    );
  });

  it('an EVENT with a namespace and no payload: dispatched with no name and no arguments (catch-all listeners only)', async () => {
    const { client } = await connected('/admin');
    client.send('42/admin');
    client.send('42/admin,["chat","after"]');
    await until(() => seen.some((line) => line.startsWith("/admin on('chat')")));
    expect(seen).toEqual(['/admin onAny()', '/admin onAny("chat","after")', `/admin on('chat')("after")`]);
    expect(client.closed).toBe(false);
    expect(decodedOut('42/admin')).toMatchObject({ kind: 'decoded', summary: 'emit with no payload on /admin (no event name: only catch-all listeners run)' });
    client.end();
  });

  it('an EVENT with an ack id and no payload: catch-all listeners get only the ack callback', async () => {
    const { client } = await connected('/');
    client.send('425');
    client.send('42["chat"]');
    await until(() => seen.some((line) => line.startsWith("/ on('chat')")));
    expect(seen).toEqual(['/ onAny(ack())', '/ onAny("chat")', `/ on('chat')()`]);
    expect(decodedOut('425')?.summary).toBe('emit with no payload ack 5 (no event name: only catch-all listeners run)');
    client.end();
  });

  it("an EVENT named by a number: the server's handlers of its digits run", async () => {
    const { client } = await connected('/');
    client.send('42[1,2]');
    await until(() => seen.some((line) => line.startsWith("/ on('1')")));
    expect(seen).toEqual(['/ onAny(1,2)', `/ on('1')(2)`]);
    expect(decodedOut('42[1,2]')).toMatchObject({ kind: 'decoded', summary: 'emit 1', value: { event: 1, args: [2] } });
    client.end();
  });

  it('an ACK with no payload answers the emit with no arguments', async () => {
    const { client, ask } = await connected('/');
    client.send(`43${ask}`);
    await until(() => seen.some((line) => line.includes('ask answered')));
    expect(seen).toEqual(['/ ask answered ()']);
    expect(decodedOut(`43${ask}`)?.summary).toBe(`ack ${ask} (0 args)`);
    client.end();
  });

  it('an ACK with no id answers no emit (the later one with the id does)', async () => {
    const { client, ask } = await connected('/admin');
    client.send('43/admin,[5]');
    client.send(`43/admin,${ask}[6]`);
    await until(() => seen.some((line) => line.includes('ask answered')));
    expect(seen).toEqual(['/admin ask answered (6)']);
    expect(decodedOut('43/admin,[5]')?.summary).toBe('ack with no id on /admin (1 arg; it answers no emit)');
    client.end();
  });

  it("the server's CONNECT answer carries the sid a v5 client needs; a CONNECT's object is the auth", async () => {
    const client = new RawClient();
    await client.opened();
    client.send('40/admin,{"token":"t"}');
    await client.askId('/admin');
    expect(seen[0]).toBe('/admin connection auth={"token":"t"}');
    const answer = client.got.find((text) => text.startsWith('40/admin,'));
    expect(decodedOut(answer ?? '', 'in')?.summary).toMatch(/^connected \/admin sid=[\w-]+$/);
    client.end();
  });

  it("under Engine.IO 3 (a socket.io v2 client) the server's CONNECT has no sid: the usual answer there, a v3+ client's connect error under 4", async () => {
    const client = new RawClient(3);
    await until(() => client.got.includes('40'));
    expect(decodedOut('40', 'in', 3)?.summary).toBe('connected /');
    expect(decodedOut('40', 'in', 4)?.summary).toBe('connected / without a sid (a socket.io v3+ client takes it as a connect error)');
    client.end();
  });

  it('Engine.IO 4: a ping from the client closes the connection, its pong does not', async () => {
    const { client } = await connected('/');
    client.send('3');
    client.send('42["chat"]');
    await until(() => seen.some((line) => line.startsWith("/ on('chat')")));
    expect(client.closed).toBe(false);
    expect(decodedOut('3')?.summary).toBe('pong');
    client.send('2');
    await until(() => client.closed && seen.some((line) => line.endsWith('disconnect transport error')));
    expect(decodedOut('2')?.kind).toBe('invalid');
  });

  it('Engine.IO 3: the server answers the client’s ping; a pong from the client closes the connection', async () => {
    const client = new RawClient(3);
    await client.opened();
    await until(() => client.got.includes('40'));
    client.send('2');
    await until(() => client.got.includes('3'));
    expect(decodedOut('2', 'out', 3)?.summary).toBe('ping');
    client.send('3');
    await until(() => client.closed && seen.some((line) => line.endsWith('disconnect transport error')));
    expect(decodedOut('3', 'out', 3)?.kind).toBe('invalid');
  });

  describe('namespaces: the server takes only a CONNECT on a namespace it has not connected for this client', () => {
    it('an EVENT on a namespace the client never connected: the server closes the connection', async () => {
      const { client } = await connected('/');
      client.send('42/admin,["chat"]');
      await until(() => client.closed && seen.some((line) => line.endsWith('disconnect forced close')));
      expect(seen.some((line) => line.includes("on('chat')"))).toBe(false);
      const open = client.got[0] ?? '';
      const answer = client.got.find((text) => text.startsWith('40{')) ?? '';
      const frames = [['in', open], ['out', '40'], ['in', answer], ['out', '42/admin,["chat"]']] as const;
      expect(readInOrder(frames)).toBe("emit 'chat' on /admin — /admin not connected: the server closes the connection (a client's first packet on a namespace must be CONNECT)");
      // Alone (no open read: the frames before may have been evicted) nothing is said.
      expect(decodedOut('42/admin,["chat"]')?.summary).toBe("emit 'chat' on /admin");
    });

    it('an EVENT before any CONNECT (Engine.IO 4 connects no namespace by itself): the server closes the connection', async () => {
      const client = new RawClient();
      await client.opened();
      client.send('42["chat"]');
      await until(() => client.closed);
      expect(seen).toEqual([]);
      expect(readInOrder([['in', client.got[0] ?? ''], ['out', '42["chat"]']])).toBe("emit 'chat' — / not connected: the server closes the connection (a client's first packet on a namespace must be CONNECT)");
    });

    it('a second CONNECT to a connected namespace: the server closes the connection', async () => {
      const { client } = await connected('/admin');
      client.send('40/admin,');
      await until(() => client.closed && seen.some((line) => line.endsWith('disconnect forced close')));
      const answer = client.got.find((text) => text.startsWith('40/admin,')) ?? '';
      expect(readInOrder([['in', client.got[0] ?? ''], ['out', '40/admin,'], ['in', answer], ['out', '40/admin,']])).toBe(
        'connect /admin — /admin is already connected: the server closes the connection (a second CONNECT)',
      );
    });

    it("after the client's DISCONNECT the namespace is not connected: an EVENT there closes the connection", async () => {
      const { client } = await connected('/admin');
      client.send('41/admin,');
      await until(() => seen.includes('/admin disconnect client namespace disconnect'));
      client.send('42/admin,["chat"]');
      await until(() => client.closed);
      const answer = client.got.find((text) => text.startsWith('40/admin,')) ?? '';
      const frames = [['in', client.got[0] ?? ''], ['out', '40/admin,'], ['in', answer], ['out', '41/admin,'], ['out', '42/admin,["chat"]']] as const;
      expect(readInOrder(frames.slice(0, 4))).toBe('disconnect /admin');
      expect(readInOrder(frames)).toMatch(/^emit 'chat' on \/admin — \/admin not connected: the server closes/);
    });

    it("while the server is still connecting a namespace (no answer yet), an EVENT there closes the connection; a second CONNECT connects it again", async () => {
      held.length = 0;
      const client = new RawClient();
      await client.opened();
      client.send('40/slow,');
      await until(() => held.length === 1);
      client.send('40/slow,');
      await until(() => held.length === 2);
      expect(client.closed).toBe(false);
      for (const next of held) next();
      await until(() => client.got.filter((text) => text.startsWith('40/slow,')).length === 2);
      expect(seen.filter((line) => line.startsWith('/slow connection'))).toHaveLength(2);
      const open = client.got[0] ?? '';
      expect(readInOrder([['in', open], ['out', '40/slow,'], ['out', '40/slow,']])).toBe(
        "connect /slow — again before the server's answer to the first was recorded: a server still connecting it connects it a second time, one that has connected it closes the connection",
      );
      client.end();

      held.length = 0;
      const other = new RawClient();
      await other.opened();
      other.send('40/slow,');
      await until(() => held.length === 1);
      other.send('42/slow,["chat"]');
      await until(() => other.closed);
      expect(readInOrder([['in', other.got[0] ?? ''], ['out', '40/slow,'], ['out', '42/slow,["chat"]']])).toBe(
        "emit 'chat' on /slow — before the server's answer to connect /slow was recorded: a server that has not connected it yet closes the connection",
      );
    });

    it('Engine.IO 3: the server connects / itself, and keys a namespace by its path (the query is the auth)', async () => {
      const client = new RawClient(3);
      await until(() => client.got.includes('40'));
      client.send('40/admin?token=t,');
      await client.askId('/admin');
      expect(seen).toContain('/admin connection auth={"token":"t"}');
      client.send('42["chat","root"]');
      client.send('42/admin?other=1,["chat","query"]');
      client.send('42/admin,["chat","admin"]');
      await until(() => seen.includes(`/admin on('chat')("admin")`));
      expect(seen).toContain(`/ on('chat')("root")`);
      expect(seen).toContain(`/admin on('chat')("query")`);
      expect(client.closed).toBe(false);
      const answer = client.got.find((text) => text.startsWith('40/admin')) ?? '';
      expect(answer).toBe('40/admin,');
      const frames = [['in', client.got[0] ?? ''], ['in', '40'], ['out', '40/admin?token=t,'], ['in', answer]] as const;
      expect(readInOrder([...frames, ['out', '42["chat","root"]']], 3)).toBe("emit 'chat'");
      expect(readInOrder([...frames, ['out', '42/admin,["chat","admin"]']], 3)).toBe("emit 'chat' on /admin");
      expect(readInOrder([...frames, ['out', '42/admin?other=1,["chat","query"]']], 3)).toBe("emit 'chat' on /admin?other=1");
      client.end();
    });
  });

  it("a refused CONNECT: the server's CONNECT_ERROR carries {message} under Engine.IO 4, the text alone under 3 (what each client reads)", async () => {
    const answers: string[] = [];
    for (const engineVersion of [4, 3] as const) {
      const client = new RawClient(engineVersion);
      await client.opened();
      client.send('40/refusing,');
      await until(() => client.got.some((text) => text.startsWith('44/refusing,')));
      const answer = client.got.find((text) => text.startsWith('44/refusing,')) ?? '';
      answers.push(answer);
      expect(decodedOut(answer, 'in', engineVersion)?.summary).toBe("connect error on /refusing: 'nope'");
      client.end();
    }
    expect(answers).toEqual(['44/refusing,{"message":"nope"}', '44/refusing,"nope"']);
    // The text alone under Engine.IO 4: a v3+ client's connect_error is new Error(data.message), empty.
    expect(decodedOut('44/refusing,"nope"', 'in', 4)?.summary).toBe(
      "connect error on /refusing (its data is the string 'nope', not an object with a message: a socket.io v3+ client's connect_error has an empty message)",
    );
  });
});
