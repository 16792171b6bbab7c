/**
 * `connect --decode` against real servers on 127.0.0.1, run in process (the same runConnect the
 * `tunnelscope connect` binary runs) with the real Engine: a socket.io v4 server with a namespace,
 * an ack and a binary attachment; Mosquitto's own WebSockets listener (started here, stopped by
 * pid) with MQTT 3.1.1 and 5, and a `ws` server that plays MQTT packets cut across messages; and
 * a `ws` server that plays recorded STOMP frames (cases a broker does not send at will:
 * a frame split over messages, escapes, a wrong content-length; a real broker's frames are in
 * test/net/real-servers/stomp-rabbitmq.test.ts). Nothing is asserted about time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt-packet';
import { Server as SocketIoServer } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { encodeMessage } from '../../../src-main/core/encode/encode-message';
import { Engine } from '../../../src-main/core/engine';
import { protocolMessageSchema, type ProtocolMessageInput } from '../../../src-main/shared/protocol-message';
import { connectTyping as typeInto, type TypingStep } from '../../support/cli-typing';
import { WAIT_MS } from '../../support/wait-until';
import { fakeIo } from '../../unit/cli/fake-engine';

let engine: Engine | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

interface Line {
  type: string;
  dir?: string;
  opcode?: string;
  text?: string;
  protocol?: string;
  guess?: boolean;
  reason?: string;
  decoded?: { protocol: string; summary: string; value?: unknown; partial?: boolean; valid?: boolean; guess?: boolean };
}

async function connect(args: string[]): Promise<{ code: number; lines: Line[]; out: string; err: string }> {
  engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
  const command = parseCommandLine(['connect', ...args, '--no-proxy']);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  const code = await runConnect(command, engine, io);
  const out = io.stdoutText();
  const lines = args.includes('--json') ? out.trim().split('\n').map((line) => JSON.parse(line) as Line) : [];
  return { code, lines, out, err: io.stderrText() };
}

/**
 * A run that types its messages on stdin, each once the output shows what it waits for (a
 * Socket.IO server closes on an event for a namespace that is not connected yet); stdin ends
 * after the last wait, which closes the session.
 */
async function connectTyping(args: string[], script: readonly TypingStep[]): Promise<{ code: number; lines: Line[]; out: string; err: string }> {
  engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
  const run = await typeInto(engine, args, script);
  const lines = args.includes('--json') ? run.out.trim().split('\n').map((line) => JSON.parse(line) as Line) : [];
  return { ...run, lines };
}

function decodedIn(lines: Line[]): string[] {
  return lines.filter((l) => l.type === 'frame' && l.dir === 'in' && l.decoded).map((l) => l.decoded?.summary ?? '');
}

describe('Socket.IO v4 server', () => {
  let httpServer: http.Server | undefined;
  let io: SocketIoServer | undefined;

  afterEach(async () => {
    await io?.close();
    io = undefined;
    httpServer = undefined;
  });

  async function start(): Promise<number> {
    httpServer = http.createServer();
    io = new SocketIoServer(httpServer, { transports: ['websocket'] });
    io.of('/admin').on('connection', (socket) => {
      socket.on('chat', (text: unknown, ack: unknown) => {
        if (typeof ack === 'function') ack(`got ${String(text)}`);
        // A binary attachment after the ack: its placeholder in one message, the bytes in the next.
        socket.emit('file', 'report.bin', Buffer.from([1, 2, 3, 4]));
      });
    });
    const server = httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('--decode auto --json: open, namespace connect, the ack and the binary event joined to its placeholder', async () => {
    const port = await start();
    const { code, lines } = await connectTyping(
      [`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, '--decode', 'auto', '--json'],
      [
        { send: '40/admin,', waitFor: 'connected /admin' },
        { send: '42/admin,7["chat","hi"]', waitFor: "emit 'file'" },
      ],
    );
    expect(code).toBe(0);
    expect(lines.find((l) => l.type === 'decode')).toEqual({ type: 'decode', protocol: 'socketio', guess: true, reason: 'the URL has EIO=4' });
    const incoming = decodedIn(lines);
    expect(incoming[0]).toMatch(/^open sid=\S+ ping every 25000 ms$/);
    expect(incoming[1]).toMatch(/^connected \/admin sid=\S+$/);
    expect(incoming.slice(2)).toEqual(['ack 7 on /admin (1 arg)', 'binary event header, 1 attachment follows', "emit 'file' on /admin with 1 binary attachment"]);
    const sent = lines.filter((l) => l.type === 'frame' && l.dir === 'out' && l.opcode === 'text').map((l) => l.decoded?.summary);
    expect(sent).toEqual(['connect /admin', "emit 'chat' on /admin ack 7"]);
    const ack = lines.find((l) => l.decoded?.summary === 'ack 7 on /admin (1 arg)');
    expect(ack?.decoded).toMatchObject({ protocol: 'socketio', guess: true, value: { type: 'ACK', nsp: '/admin', id: 7, args: ['got hi'] } });
    const joined = lines.find((l) => l.decoded?.summary.startsWith("emit 'file'"));
    expect(joined?.opcode).toBe('binary');
    expect(joined?.decoded?.value).toMatchObject({ event: 'file', args: ['report.bin', { $bytes: 'AQIDBA==', length: 4 }] });
  });

  it('the human output shows the summary per frame; --decode none shows the raw text', async () => {
    const port = await start();
    const url = `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
    const decodedRun = await connectTyping([url], [
      { send: '40/admin,', waitFor: 'connected /admin' },
      { send: '42/admin,7["chat","hi"]', waitFor: "emit 'file'" },
    ]);
    expect(decodedRun.err).toContain('Decoding as Socket.IO (a guess: the URL has EIO=4)');
    expect(decodedRun.out).toMatch(/← .* text .*ack 7 on \/admin \(1 arg\)/);
    expect(decodedRun.out).toMatch(/← .* binary .*emit 'file' on \/admin with 1 binary attachment/);
    const raw = await connectTyping([url, '--decode', 'none'], [
      { send: '40/admin,', waitFor: '40/admin,{' },
      { send: '42/admin,7["chat","hi"]', waitFor: 'hex 01 02 03 04' },
    ]);
    expect(raw.err).not.toContain('Decoding as');
    expect(raw.out).toContain('43/admin,7["got hi"]');
  });
});

/**
 * Mosquitto's own WebSockets listener (subprotocol `mqtt`). Debian 12's mosquitto 2.0.11 starts a
 * `protocol websockets` listener only beside a plain MQTT one (alone it exits with "Unable to
 * start any listening sockets"), and binds an IPv6-mapped address without `socket_domain ipv4`;
 * so the config has both listeners on 127.0.0.1, and the CLI connects to the WebSockets one.
 */
describe('Mosquitto (its WebSockets listener)', () => {
  const broker = '/usr/sbin/mosquitto';
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  let wsPort = 0;

  beforeAll(async () => {
    if (existsSync(broker)) wsPort = await startBroker();
  });

  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A free port: bound to 0 and released (mosquitto's listener takes no 0). */
  async function freePort(): Promise<number> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  function accepts(port: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
  }

  /** The broker with a plain listener and a WebSockets one, both on 127.0.0.1 (IPv4); answers the WebSockets port. */
  async function startBroker(): Promise<number> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-mosquitto-'));
    const plain = await freePort();
    const websockets = await freePort();
    const conf = path.join(dir, 'mosquitto.conf');
    await writeFile(
      conf,
      [
        `listener ${plain} 127.0.0.1`,
        `listener ${websockets} 127.0.0.1`,
        'protocol websockets',
        'socket_domain ipv4',
        'allow_anonymous true',
        'persistence false',
        'log_dest stderr',
        '',
      ].join('\n'),
    );
    const started = spawn(broker, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let log = '';
    started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    // Ready when the WebSockets port accepts a connection on 127.0.0.1 (a generous deadline: WAIT_MS).
    const deadline = Date.now() + WAIT_MS;
    while (!(await accepts(websockets))) {
      if (started.exitCode !== null) throw new Error(`mosquitto exited: ${log}`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on 127.0.0.1:${websockets}: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return websockets;
  }

  /**
   * CONNECT, SUBSCRIBE sensors/# QoS 1 and PUBLISH sensors/1 QoS 1 (with a content type in MQTT 5),
   * in `version`'s encoding: the CONNECT and SUBSCRIBE as the composer writes them (encode-message.ts;
   * an MQTT 5 broker disconnects on a SUBSCRIBE written as 3.1.1), the PUBLISH by mqtt-packet.
   */
  function sendArgs(version: 4 | 5, clientId: string): string[] {
    const options = { protocolVersion: version };
    const hex = (packet: mqtt.Packet): string => mqtt.generate(packet, options).toString('hex');
    const composed = (packet: ProtocolMessageInput): string => {
      const parsed = protocolMessageSchema.parse(packet);
      const encoded = encodeMessage(parsed);
      if (!encoded.ok) throw new Error(encoded.error.message);
      return Buffer.from(encoded.value.data, 'base64').toString('hex');
    };
    return [
      '--send-binary', composed({ protocol: 'mqtt', packet: { cmd: 'connect', clientId, protocolVersion: version, keepalive: 60 } }),
      '--send-binary', composed({ protocol: 'mqtt', packet: { cmd: 'subscribe', messageId: 1, topic: 'sensors/#', qos: 1, protocolVersion: version } }),
      // MQTT 5 only: a property the broker passes on to the subscriber.
      '--send-binary', hex({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 2, retain: false, dup: false, ...(version === 5 ? { properties: { contentType: 'application/json' } } : {}) }),
    ];
  }

  for (const [version, name] of [[5, '5'], [4, '3.1.1']] as const) {
    it.skipIf(!existsSync(broker))(`MQTT ${name}: --decode auto (subprotocol mqtt) --json: CONNECT, SUBSCRIBE, PUBLISH QoS 1 both ways (skipped without /usr/sbin/mosquitto)`, async () => {
      // Listening on 127.0.0.1 (the config binds no other address).
      expect(await accepts(wsPort)).toBe(true);
      const clientId = `tunnelscope-v${version}`;
      // The session ends (stdin closes) once the broker has answered the PUBLISH and delivered it
      // back (its packet id for this client starts at 1; the CLI's PUBLISH has id 2).
      const { code, lines } = await connectTyping(
        [`ws://127.0.0.1:${wsPort}/`, '--subprotocol', 'mqtt', '--json', ...sendArgs(version, clientId)],
        [{ waitFor: 'PUBACK id=2' }, { waitFor: 'PUBLISH sensors/1 QoS 1 10 B id=1' }],
      );
      expect(lines.find((l) => l.type === 'decode')).toMatchObject({ protocol: 'mqtt', guess: true, reason: 'the server chose the subprotocol mqtt' });
      expect(code).toBe(0);
      const sent = lines.filter((l) => l.type === 'frame' && l.dir === 'out' && l.opcode === 'binary').map((l) => l.decoded?.summary);
      expect(sent).toEqual([`CONNECT client=${clientId} MQTT ${name} keepalive 60 clean`, 'SUBSCRIBE sensors/# QoS 1 id=1', 'PUBLISH sensors/1 QoS 1 10 B id=2']);
      // Each message may hold one packet or several: compare the packets, in order.
      const packets = decodedIn(lines).flatMap((summary) => summary.replace(/^\d+ packets: /, '').split(' · '));
      expect(packets[0]).toBe(version === 5 ? 'CONNACK reason 0' : 'CONNACK rc=0');
      expect(packets).toContain('SUBACK id=1 granted 1');
      expect(packets).toContain('PUBACK id=2');
      expect(packets.some((p) => /^PUBLISH sensors\/1 QoS 1 10 B id=\d+$/.test(p))).toBe(true);
      const delivered = lines.find((l) => l.dir === 'in' && l.decoded?.summary.includes('PUBLISH sensors/1'));
      expect(delivered?.decoded?.protocol).toBe('mqtt');
      expect(JSON.stringify(delivered?.decoded?.value)).toContain('"payload":"{\\"t\\":21.5}"');
      if (version === 5) expect(delivered?.decoded?.value).toMatchObject({ properties: { contentType: 'application/json' } });
      else expect(delivered?.decoded?.value).not.toHaveProperty('properties');
    });
  }
});

/**
 * Packets that span WebSocket messages or share one, as the MQTT-over-WebSocket standard allows:
 * Mosquitto's listener sends one packet a message, so a `ws` server plays its MQTT 5 answers
 * (CONNACK, SUBACK, PUBACK, the delivered PUBLISH) cut differently.
 */
describe('MQTT 5 from recorded frames cut across messages', () => {
  let server: WebSocketServer | undefined;

  afterEach(async () => {
    const closing = server;
    server = undefined;
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  });

  const v5 = { protocolVersion: 5 };
  const connack = mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { topicAliasMaximum: 10 } }, v5);
  const suback = mqtt.generate({ cmd: 'suback', messageId: 1, granted: [1] }, v5);
  const puback = mqtt.generate({ cmd: 'puback', messageId: 2 }, v5);
  const delivered = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 1, retain: false, dup: false }, v5);

  async function start(): Promise<number> {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false) });
    server.on('connection', (socket) => {
      let received = 0;
      socket.on('message', () => {
        received++;
        // After SUBSCRIBE: CONNACK and SUBACK share a message; after PUBLISH: the PUBACK and the
        // delivered PUBLISH's first 6 bytes share one, its rest comes alone.
        if (received === 2) socket.send(Buffer.concat([connack, suback]), { binary: true });
        if (received === 3) {
          socket.send(Buffer.concat([puback, delivered.subarray(0, 6)]), { binary: true });
          socket.send(delivered.subarray(6), { binary: true });
        }
      });
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
    return (listening.address() as AddressInfo).port;
  }

  it('--json: two packets in one message, a packet started in one message and finished in the next', async () => {
    const port = await start();
    const hex = (buffer: Buffer): string => buffer.toString('hex');
    const { code, lines } = await connect([
      `ws://127.0.0.1:${port}/`,
      '--subprotocol', 'mqtt',
      '--json',
      '--send-binary', hex(mqtt.generate({ cmd: 'connect', clientId: 'tunnelscope-test', protocolVersion: 5, protocolId: 'MQTT', keepalive: 60, clean: true }, v5)),
      '--send-binary', hex(mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'sensors/#', qos: 1 }] }, v5)),
      '--send-binary', hex(mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 2, retain: false, dup: false }, v5)),
      '--count', '3',
    ]);
    expect(code).toBe(0);
    expect(decodedIn(lines)).toEqual([
      '2 packets: CONNACK reason 0 · SUBACK id=1 granted 1',
      'PUBACK id=2 · then the start of a PUBLISH: 4 of the 24 B after its fixed header so far (continues)',
      'PUBLISH sensors/1 QoS 1 10 B id=1',
    ]);
    const shared = lines.find((l) => l.dir === 'in' && l.decoded?.summary.startsWith('2 packets'));
    expect(shared?.decoded?.value).toMatchObject({ packets: [{ cmd: 'connack', properties: { topicAliasMaximum: 10 } }, { cmd: 'suback', messageId: 1 }] });
    const finished = lines.find((l) => l.dir === 'in' && l.decoded?.summary.startsWith('PUBLISH'));
    expect(finished?.decoded?.value).toMatchObject({ topic: 'sensors/1', payload: '{"t":21.5}' });
  });
});

/**
 * MQTT over WebSocket is sent in binary frames only ([MQTT-6.0.0-1]): a `ws` server sends the
 * rest of a PUBLISH in a text frame (not valid, and it cuts the PUBLISH short), a whole PUBLISH,
 * then the start of one and closes: that last message says how much of its packet had arrived.
 */
describe('MQTT 5: a text frame and a PUBLISH cut short', () => {
  let server: WebSocketServer | undefined;

  afterEach(async () => {
    const closing = server;
    server = undefined;
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  });

  const v5 = { protocolVersion: 5 };
  const connack = mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, v5);
  const delivered = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 1, retain: false, dup: false }, v5);

  it('--json: the text frame is not valid and says what it cut short; the last message before the close says how much arrived', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false) });
    server.on('connection', (socket) => {
      socket.once('message', () => {
        socket.send(connack, { binary: true });
        socket.send(delivered.subarray(0, 6), { binary: true });
        socket.send(delivered.subarray(6), { binary: false });
        socket.send(delivered, { binary: true });
        socket.send(delivered.subarray(0, 9), { binary: true });
        socket.close(1000);
      });
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
    const port = (listening.address() as AddressInfo).port;
    const hex = (buffer: Buffer): string => buffer.toString('hex');
    const { code, lines } = await connect([
      `ws://127.0.0.1:${port}/`,
      '--subprotocol', 'mqtt',
      '--json',
      '--send-binary', hex(mqtt.generate({ cmd: 'connect', clientId: 'tunnelscope-test', protocolVersion: 5, protocolId: 'MQTT', keepalive: 60, clean: true }, v5)),
    ]);
    expect(code).toBe(0);
    expect(decodedIn(lines)).toEqual([
      'CONNACK reason 0',
      'part of an MQTT PUBLISH: 4 of the 24 B after its fixed header so far (continues in a later message)',
      'not valid MQTT: a text frame (MQTT over WebSocket is sent in binary frames only), which cuts short the PUBLISH under way in this direction: 4 of the 24 B after its fixed header arrived',
      'PUBLISH sensors/1 QoS 1 10 B id=1',
      'part of an MQTT PUBLISH: 7 of the 24 B after its fixed header so far (continues in a later message)',
      // The server's close: what it cut short is said on its line too.
      'not valid MQTT: a close frame, which cuts short the PUBLISH under way in this direction: 7 of the 24 B after its fixed header arrived',
    ]);
    const text = lines.find((l) => l.dir === 'in' && l.opcode === 'text');
    expect(text?.decoded).toMatchObject({ protocol: 'mqtt', valid: false });
    const close = lines.find((l) => l.dir === 'in' && l.opcode === 'close');
    expect(close?.decoded).toMatchObject({ protocol: 'mqtt', valid: false });
  });
});

/**
 * Nothing says at a message whether more of a STOMP frame will come: a `ws` server sends a
 * MESSAGE's headers, part of its body, then closes. The last message says how much had arrived;
 * the close says which frame it cut short.
 */
describe('STOMP: a MESSAGE cut short by a close', () => {
  let server: WebSocketServer | undefined;

  afterEach(async () => {
    const closing = server;
    server = undefined;
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  });

  it('--json: the partial messages say how much arrived; the close names the MESSAGE it cut short', async () => {
    const head = 'MESSAGE\nsubscription:sub-0\ndestination:/topic/prices\nmessage-id:1\ncontent-length:13\n\n';
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('v12.stomp') ? 'v12.stomp' : false) });
    server.on('connection', (socket) => {
      socket.once('message', () => {
        socket.send('CONNECTED\nversion:1.2\n\n\u0000');
        socket.send(head);
        socket.send('{"px":', () => socket.close(1000));
      });
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
    const port = (listening.address() as AddressInfo).port;
    const { code, lines } = await connect([`ws://127.0.0.1:${port}/ws`, '--subprotocol', 'v12.stomp', '--json', '--send', 'CONNECT\naccept-version:1.2\nhost:/\n\n\u0000']);
    expect(code).toBe(0);
    const arrived = Buffer.byteLength(head) + 6;
    expect(decodedIn(lines)).toEqual([
      'CONNECTED version=1.2',
      `part of a STOMP frame (${Buffer.byteLength(head)} B so far, continues in a later message)`,
      `part of a STOMP frame (${arrived} B so far, continues in a later message)`,
      `not valid STOMP: a close frame, which cuts short the MESSAGE under way in this direction: ${arrived} B of it arrived`,
    ]);
    const close = lines.find((l) => l.dir === 'in' && l.opcode === 'close');
    expect(close?.decoded).toMatchObject({ protocol: 'stomp', valid: false });
    // The client's answering close (nothing under way in its direction) decodes to nothing.
    const answer = lines.find((l) => l.dir === 'out' && l.opcode === 'close');
    expect(answer).toMatchObject({ type: 'frame' });
    expect(answer?.decoded).toBeUndefined();
  });
});

describe('STOMP from recorded frames', () => {
  let server: WebSocketServer | undefined;

  afterEach(async () => {
    const closing = server;
    server = undefined;
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  });

  // What a broker (RabbitMQ Web-STOMP) sent, as recorded; the MESSAGE comes split over two messages.
  const recorded = {
    CONNECT: ['CONNECTED\nserver:RabbitMQ/3.12.1\nsession:session-1\nheart-beat:0,10000\nversion:1.2\n\n\u0000'],
    SUBSCRIBE: [
      'MESSAGE\nsubscription:sub-0\ndestination:/topic/prices\nmessage-id:T_sub-0@@session-1@@1\nredelivered:false\ncontent-type:application/json\ncontent-length:13\n\n{"px":',
      '101.25}\u0000\n',
      '\n',
      'MESSAGE\ndestination:/topic/a\\cb\n\nx\u0000',
      'ERROR\nmessage:malformed frame received\ncontent-length:1\n\nabc\u0000',
    ],
  };

  async function start(): Promise<number> {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('v12.stomp') ? 'v12.stomp' : false) });
    server.on('connection', (socket) => {
      socket.on('message', (data: Buffer) => {
        const command = data.toString('utf8').split('\n')[0] ?? '';
        const replies = command === 'CONNECT' ? recorded.CONNECT : command === 'SUBSCRIBE' ? recorded.SUBSCRIBE : [];
        for (const reply of replies) socket.send(reply);
      });
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
    return (listening.address() as AddressInfo).port;
  }

  it('--decode auto (subprotocol v12.stomp) --json: frames, a split MESSAGE, a heart-beat, escapes and a not-valid frame', async () => {
    const port = await start();
    const { code, lines } = await connect([
      `ws://127.0.0.1:${port}/ws`,
      '--subprotocol', 'v12.stomp',
      '--json',
      '--send', 'CONNECT\naccept-version:1.2\nhost:/\nheart-beat:10000,0\n\n\u0000',
      '--send', 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\n\n\u0000',
      '--count', '6',
    ]);
    expect(code).toBe(0);
    expect(lines.find((l) => l.type === 'decode')).toMatchObject({ protocol: 'stomp', reason: 'the server chose the subprotocol v12.stomp' });
    expect(lines.filter((l) => l.dir === 'out' && l.opcode === 'text').map((l) => l.decoded?.summary)).toEqual(['CONNECT / accept-version=1.2 heart-beat=10000,0', 'SUBSCRIBE /topic/prices id=sub-0']);
    expect(decodedIn(lines)).toEqual([
      'CONNECTED version=1.2 heart-beat=0,10000 server=RabbitMQ/3.12.1',
      'part of a STOMP frame (159 B so far, continues in a later message)',
      'MESSAGE /topic/prices 13 B subscription=sub-0 message-id=T_sub-0@@session-1@@1',
      'heart-beat',
      'MESSAGE /topic/a:b 1 B',
      'not valid STOMP: content-length 1 of ERROR ends the body at byte 58, where there is no NUL (the body is longer than it says)',
    ]);
    const message = lines.find((l) => l.decoded?.summary.startsWith('MESSAGE /topic/prices'));
    expect(message?.decoded?.value).toMatchObject({ command: 'MESSAGE', headers: { 'content-type': 'application/json' }, body: '{"px":101.25}' });
  });
});
