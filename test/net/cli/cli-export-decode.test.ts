/**
 * `connect --export` records the Decode choice in the file (--decode's, else the profile's), with
 * or without --export-decoded, so `frames:import` hands it back for the tab: MessagePack (which
 * auto never guesses), Protocol Buffers by the schema file's name and type (not its path, not its
 * content). Run in process against the real Engine and a `ws` server on 127.0.0.1.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Packr } from 'msgpackr';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { fakeIo } from '../../unit/cli/fake-engine';
import { makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';
import { CHAT_PROTO, chatMessage } from '../../support/protobuf-chat';

let server: WebSocketServer;
let port = 0;
let temp: ReturnType<typeof makeTempDir> | undefined;
let engine: Engine | undefined;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, request) => {
    if (request.url === '/chat') socket.send(chatMessage('chat.Event', { topic: 'prices' }));
    else socket.send(new Packr({ useRecords: false }).pack({ price: 12 }));
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

async function newEngine(profile?: { url: string } & Record<string, unknown>): Promise<{ e: Engine; dir: string }> {
  temp = makeTempDir();
  const e = new Engine({ host: 'cli', version: '1', env: {}, allowFileExport: true, batch: { intervalMs: 5 }, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  engine = e;
  if (profile) valueOf(await e.call('profiles:save', { profile: { name: 'Feed', proxy: { mode: 'none' }, tls: {}, ...profile } }));
  return { e, dir: temp.dir };
}

async function connect(e: Engine, args: string[]): Promise<void> {
  const command = parseCommandLine(['connect', '--listen', ...args]);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  const code = await runConnect(command, e, io);
  expect(code, io.stderrText()).toBe(0);
}

/** The file's recorded choice, and what an import of it answers. */
async function recorded(e: Engine, file: string): Promise<{ written: unknown; imported: unknown; notes: string[] }> {
  const text = fs.readFileSync(file, 'utf8');
  const written: unknown = file.endsWith('.har')
    ? (JSON.parse(text) as { log: { entries: { _tunnelscope: { decode?: unknown } }[] } }).log.entries[0]?._tunnelscope.decode
    : (JSON.parse(text.split('\n')[0] ?? '{}') as { decode?: unknown }).decode;
  const imported = valueOf(await e.call('frames:import', { text, name: path.basename(file) }));
  return { written, imported: imported.decode, notes: imported.notes };
}

describe('connect --export records the Decode choice', () => {
  it('--decode msgpack, without --export-decoded: NDJSON and HAR', async () => {
    const { e, dir } = await newEngine();
    for (const name of ['mp.ndjson', 'mp.har']) {
      const file = path.join(dir, name);
      await connect(e, [`ws://127.0.0.1:${port}/mp`, '--no-proxy', '--decode', 'msgpack', '--export', file]);
      const got = await recorded(e, file);
      expect(got.written).toEqual({ choice: 'msgpack' });
      expect(got.imported).toEqual({ choice: 'msgpack' });
    }
  });

  it('--decode protobuf:<file>#<Type>: the schema by its file name (not its path, not its content)', async () => {
    const { e, dir } = await newEngine();
    const schemaFile = path.join(dir, 'chat.proto');
    fs.writeFileSync(schemaFile, CHAT_PROTO);
    const file = path.join(dir, 'chat.ndjson');
    await connect(e, [`ws://127.0.0.1:${port}/chat`, '--no-proxy', '--decode', `protobuf:${schemaFile}#chat.Event`, '--export', file, '--export-decoded']);
    const got = await recorded(e, file);
    expect(got.written).toEqual({ choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Event' } });
    expect(fs.readFileSync(file, 'utf8')).not.toContain(dir);
    expect(got.imported).toEqual({ choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Event' } });
    expect(got.notes.some((n) => n.startsWith('decoded as Protocol Buffers with schema chat.proto#chat.Event when exported; choose the schema to decode it'))).toBe(true);
  });

  it("a profile's choice when --decode is not given (its schema by name); nothing when the choice is auto", async () => {
    const { e, dir } = await newEngine({ url: `ws://127.0.0.1:${port}/chat`, decode: 'protobuf', decodeProtobuf: { schema: { name: 'chat.proto', proto: CHAT_PROTO }, type: 'chat.Event' } });
    const file = path.join(dir, 'profile.har');
    await connect(e, ['--profile', 'Feed', '--export', file]);
    expect((await recorded(e, file)).written).toEqual({ choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Event' } });
    const plain = path.join(dir, 'auto.ndjson');
    await connect(e, [`ws://127.0.0.1:${port}/mp`, '--no-proxy', '--export', plain]);
    expect((await recorded(e, plain)).written).toBe(undefined);
  });
});
