/**
 * `connect --profile` decodes as the profile says when --decode is not given (issue 14 §2's
 * profile choice, in the CLI): run in process against the real Engine with a data folder, and a
 * `ws` server on 127.0.0.1 that greets with a MessagePack value (which auto never guesses) or a
 * STOMP CONNECTED (which auto would), or Protocol Buffers messages whose type the profile's rules
 * choose. --decode wins over the profile.
 */
import type { AddressInfo } from 'node:net';
import { Packr } from 'msgpackr';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { fakeIo } from '../../unit/cli/fake-engine';
import { makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';
import { CHAT_PROTO as CHAT, chatMessage } from '../../support/protobuf-chat';

let server: WebSocketServer;
let port = 0;
let temp: ReturnType<typeof makeTempDir> | undefined;
let engine: Engine | undefined;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, request) => {
    if (request.url === '/msgpack') socket.send(new Packr({ useRecords: false }).pack({ price: 12 }));
    else if (request.url === '/chat') {
      // A Reply (first byte 0x08) and an Event (0x0a).
      socket.send(chatMessage('chat.Reply', { code: 200, note: 'ok' }));
      socket.send(chatMessage('chat.Event', { topic: 'prices' }));
    } else socket.send('CONNECTED\nversion:1.2\n\n\u0000');
    socket.close(1000);
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  temp?.cleanup();
  temp = undefined;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Line {
  type: string;
  protocol?: string;
  guess?: boolean;
  reason?: string;
  decoded?: { protocol: string; summary: string; guess?: boolean };
}

async function withProfile(path: string, decode: string | undefined, more: Record<string, unknown> = {}): Promise<Engine> {
  temp = makeTempDir();
  const made = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 }, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  engine = made;
  valueOf(await made.call('profiles:save', { profile: { name: 'Feed', url: `ws://127.0.0.1:${port}${path}`, proxy: { mode: 'none' }, tls: {}, ...(decode !== undefined ? { decode } : {}), ...more } }));
  return made;
}

async function run(made: Engine, args: string[]): Promise<{ code: number; lines: Line[]; err: string }> {
  const command = parseCommandLine(['connect', '--profile', 'Feed', '--listen', '--json', ...args]);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  const code = await runConnect(command, made, io);
  return { code, lines: io.stdoutText().trim().split('\n').map((line) => JSON.parse(line) as Line), err: io.stderrText() };
}

describe('connect --profile and the profile’s decoding', () => {
  it('decodes as the profile names (not a guess), unless --decode says otherwise', async () => {
    const made = await withProfile('/msgpack', 'msgpack');
    const own = await run(made, []);
    expect(own.code).toBe(0);
    expect(own.lines.find((l) => l.type === 'decode')).toEqual({ type: 'decode', protocol: 'msgpack', guess: false, reason: 'the profile "Feed" decodes as msgpack' });
    expect(own.lines.find((l) => l.type === 'frame')?.decoded).toEqual({ protocol: 'msgpack', summary: 'MessagePack map {price}', value: { price: 12 } });
    const none = await run(made, ['--decode', 'none']);
    expect(none.lines.some((l) => l.type === 'decode' || l.decoded !== undefined)).toBe(false);
  });

  it('the human output says the profile’s choice on stderr', async () => {
    // Before, a choice made before the connection (a profile's, --decode's) was said only in --json.
    const made = await withProfile('/msgpack', 'msgpack');
    const command = parseCommandLine(['connect', '--profile', 'Feed', '--listen']);
    if (command.kind !== 'connect') throw new Error('expected connect');
    const io = fakeIo();
    expect(await runConnect(command, made, io)).toBe(0);
    expect(io.stderrText()).toBe('Decoding as MessagePack (the profile "Feed" decodes as msgpack)\n');
    expect(io.stdoutText()).toMatch(/^← \S+ binary +\d+ B {2}MessagePack map \{price\}$/m);
  });

  it('a profile that decodes nothing turns auto off; one without a choice is auto', async () => {
    const off = await run(await withProfile('/stomp', 'none'), []);
    expect(off.lines.some((l) => l.decoded !== undefined)).toBe(false);
    await engine?.dispose();
    temp?.cleanup();
    const auto = await run(await withProfile('/stomp', undefined), []);
    expect(auto.lines.find((l) => l.type === 'frame')?.decoded).toMatchObject({ protocol: 'stomp', summary: 'CONNECTED version=1.2', guess: true });
  });

  it('decodes Protocol Buffers with the profile’s schema, its type and its type rules; a rule the schema cannot meet is a usage error', async () => {
    // The host is in the profile's URL, not in the upgrade's request target: the whole URL is read.
    const decodeProtobuf = { schema: { name: 'chat.proto', proto: CHAT }, type: 'chat.Event', rules: [{ dir: 'in', firstByte: 0x08, urlIncludes: '//127.0.0.1:', type: 'chat.Reply' }] };
    const made = await withProfile('/chat', 'protobuf', { decodeProtobuf });
    const own = await run(made, []);
    expect(own.code).toBe(0);
    const frames = own.lines.filter((l) => l.type === 'frame' && l.decoded !== undefined).map((l) => l.decoded);
    expect(frames).toEqual([
      { protocol: 'protobuf', summary: expect.stringMatching(/^chat\.Reply /), value: { code: 200, note: 'ok' } },
      { protocol: 'protobuf', summary: expect.stringMatching(/^chat\.Event /), value: { topic: 'prices' } },
    ]);
    await engine?.dispose();
    temp?.cleanup();
    const broken = await withProfile('/chat', 'protobuf', { decodeProtobuf: { ...decodeProtobuf, rules: [{ dir: 'in', type: 'chat.Gone' }] } });
    const command = parseCommandLine(['connect', '--profile', 'Feed', '--listen', '--json']);
    if (command.kind !== 'connect') throw new Error('expected connect');
    const io = fakeIo();
    expect(await runConnect(command, broken, io)).toBe(2);
    expect(io.stderrText()).toBe(
      'tunnelscope: the profile "Feed" decodes Protocol Buffers with a schema that does not work: type rule 1: chat.proto: no message type "chat.Gone" in the schema; it has chat.Request, chat.Reply, chat.Event\n',
    );
  });
});
