/**
 * One URL picks one Protocol Buffers type wherever the session is decoded: a profile whose URL has
 * a `{{variable}}` and a fragment, and a type rule asking for a part of the URL as the session
 * opened it (the variable filled in), decoded in the app (`session:decoding` + `frames:decode`),
 * in an export (`frames:export` with the same choice) and by `connect --profile` (the CLI). Before,
 * the CLI read the profile's template (`/chat/{{room}}`) and took the other type.
 * A real `ws` server on 127.0.0.1 sends a chat.Reply (first byte 0x08) then a chat.Event.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { ProtobufChoice } from '../../../src-main/shared/decoding';
import { fakeIo } from '../../unit/cli/fake-engine';
import { makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';
import { CHAT_PROTO as CHAT, chatMessage } from '../../support/protobuf-chat';
import { waitUntil } from '../../support/wait-until';

let server: WebSocketServer;
let port = 0;
let temp: ReturnType<typeof makeTempDir> | undefined;
let engine: Engine | undefined;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    socket.send(chatMessage('chat.Reply', { code: 200, note: 'ok' }));
    socket.send(chatMessage('chat.Event', { topic: 'prices' }));
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

/** The Reply is a chat.Reply only where the rule's URL condition holds; elsewhere the type (chat.Event) reads it. */
function choiceWith(urlIncludes: string): ProtobufChoice {
  return { schema: { name: 'chat.proto', proto: CHAT }, type: 'chat.Event', rules: [{ dir: 'in', firstByte: 0x08, urlIncludes, type: 'chat.Reply' }] };
}

async function profileEngine(decodeProtobuf: ProtobufChoice): Promise<{ e: Engine; profileId: string }> {
  temp = makeTempDir();
  const e = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 }, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  engine = e;
  const url = `ws://127.0.0.1:${port}/chat/{{room}}?v=1#top`;
  const saved = valueOf(await e.call('profiles:save', { profile: { name: 'Feed', url, proxy: { mode: 'none' }, tls: {}, decode: 'protobuf', decodeProtobuf } }));
  return { e, profileId: saved.id };
}

/** The first type name of each decoded summary, in the app and in an export of the same session. */
async function appAndExport(e: Engine, profileId: string, choice: ProtobufChoice): Promise<{ app: string[]; exported: string[]; url: string }> {
  let ended = false;
  let url = '';
  const stop = e.onEvent((event) => {
    if (event.type === 'session-created') url = event.url;
    if (event.type === 'closed') ended = true;
  });
  const { sessionId } = valueOf(await e.call('session:open', { profileId, variables: { values: [{ name: 'room', value: 'lobby' }] } }));
  await waitUntil('the server closed', () => ended);
  stop();
  valueOf(await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: choice }));
  const decoded = valueOf(await e.call('frames:decode', { sessionId, seqs: [1, 2] }));
  const app = decoded.frames.map((f) => f.summary.split(' ')[0] ?? '');
  const text = valueOf(await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'protobuf', protobuf: choice } })).text;
  const exported = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { seq?: number; decoded?: { summary: string } })
    .filter((line) => line.seq !== undefined && line.decoded !== undefined)
    .map((line) => line.decoded?.summary.split(' ')[0] ?? '');
  return { app, exported, url };
}

async function cliTypes(e: Engine): Promise<string[]> {
  const command = parseCommandLine(['connect', '--profile', 'Feed', '--var', 'room=lobby', '--listen', '--json']);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  expect(await runConnect(command, e, io)).toBe(0);
  return io
    .stdoutText()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; decoded?: { summary: string } })
    .filter((line) => line.type === 'frame' && line.decoded !== undefined)
    .map((line) => line.decoded?.summary.split(' ')[0] ?? '');
}

describe('a type rule on the URL picks the same type in the app, an export and connect --profile', () => {
  it('reads the session’s URL with its variable filled in (the rule holds everywhere)', async () => {
    const choice = choiceWith('/chat/lobby?v=1');
    const { e, profileId } = await profileEngine(choice);
    const { app, exported, url } = await appAndExport(e, profileId, choice);
    expect(url).toBe(`ws://127.0.0.1:${port}/chat/lobby?v=1`);
    expect(app).toEqual(['chat.Reply', 'chat.Event']);
    expect(exported).toEqual(app);
    expect(await cliTypes(e)).toEqual(app);
  });

  it('never reads the profile’s template nor the fragment (the rule holds nowhere)', async () => {
    for (const urlIncludes of ['/chat/{{room}}', '#top']) {
      const choice = choiceWith(urlIncludes);
      const { e, profileId } = await profileEngine(choice);
      const { app, exported } = await appAndExport(e, profileId, choice);
      expect(app).toEqual(['chat.Event', 'chat.Event']);
      expect(exported).toEqual(app);
      expect(await cliTypes(e)).toEqual(app);
      await e.dispose();
      engine = undefined;
      temp?.cleanup();
      temp = undefined;
    }
  });
});
