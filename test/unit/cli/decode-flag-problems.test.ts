/**
 * QA on connect --decode: a schema file that cannot be used is said in words with its path (not
 * Node's EISDIR), and without the --help pointer a malformed flag gets; another name for a
 * decoder is refused with the one meant; an enum or a service named as the type says so.
 */
import fs from 'node:fs';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_SCHEMA_FILE_BYTES } from '../../../src-main/cli/check-file';
import { decodeNameMeant } from '../../../src-main/cli/decode-name-hint';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { UsageError } from '../../../src-main/cli/usage-error';
import { notAMessageProblem } from '../../../src-main/core/decode/protobuf-schema-problems';

/** The UsageError parsing `--decode <flag>` throws. */
function refusal(flag: string): UsageError {
  try {
    parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--decode', flag]);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`--decode ${flag} was taken`);
}

function decodeOf(flag: string): string | undefined {
  const command = parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--decode', flag]);
  return command.kind === 'connect' ? command.decode : undefined;
}

describe('--decode protobuf:<file>#<Type> with a file that cannot be used', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-decode-problems-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a directory (with or without .proto in its name) is said so, not as EISDIR', async () => {
    expect(refusal(`protobuf:${dir}#X`).message).toBe(`--decode protobuf: ${dir} is a directory, not a .proto or descriptor set file`);
    const folder = path.join(dir, 'chat.proto');
    await mkdir(folder);
    expect(refusal(`protobuf:${folder}#chat.Msg`).message).toBe(`--decode protobuf: ${folder} is a directory, not a .proto or descriptor set file`);
  });

  it('a missing file, one under a file, an unreadable one (EACCES), a device, an empty and a huge one', async () => {
    expect(refusal(`protobuf:${dir}/gone.desc#X`).message).toBe(`--decode protobuf: ${dir}/gone.desc does not exist`);
    const plain = path.join(dir, 'plain.proto');
    await writeFile(plain, 'syntax = "proto3"; message A {}');
    expect(refusal(`protobuf:${plain}/x.proto#A`).message).toBe(`--decode protobuf: ${plain}/x.proto cannot be read: a folder on its path is a file`);
    // Tests run as root, for whom chmod 000 does not stop a read: the open is refused instead.
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${plain}'`), { code: 'EACCES' });
    vi.spyOn(fs, 'openSync').mockImplementationOnce(() => {
      throw denied;
    });
    expect(refusal(`protobuf:${plain}#A`).message).toBe(`--decode protobuf: ${plain} cannot be read: permission denied`);
    expect(refusal('protobuf:/dev/null#A').message).toBe('--decode protobuf: /dev/null is not a regular file (a device, socket or pipe), not a .proto or descriptor set file');
    const empty = path.join(dir, 'empty.proto');
    await writeFile(empty, '');
    expect(refusal(`protobuf:${empty}#A`).message).toBe(`--decode protobuf: ${empty} is empty, not a .proto or descriptor set file`);
    const huge = path.join(dir, 'huge.pb');
    await writeFile(huge, '');
    await truncate(huge, MAX_SCHEMA_FILE_BYTES + 1); // sparse: no 64 MiB written
    expect(refusal(`protobuf:${huge}#A`).message).toBe(`--decode protobuf: ${huge} is ${MAX_SCHEMA_FILE_BYTES + 1} bytes, too large for a .proto or descriptor set file (at most 64 MiB)`);
  });

  it('file and schema problems do not point at --help; a malformed flag does', async () => {
    const good = path.join(dir, 'good.proto');
    await writeFile(good, 'syntax = "proto3"; package chat; message Msg { string text = 1; }');
    expect(refusal(`protobuf:${dir}#X`).pointsAtHelp).toBe(false);
    expect(refusal(`protobuf:${good}#chat.Nope`).pointsAtHelp).toBe(false);
    expect(refusal(`protobuf:${good}#chat.Nope`).command).toBe('connect');
    expect(refusal(`protobuf:${good}`).pointsAtHelp).toBe(true);
    expect(refusal('thrift').pointsAtHelp).toBe(true);
    expect(decodeOf(`protobuf:${good}#chat.Msg`)).toBe('protobuf');
  });
});

describe('--decode names', () => {
  it('are taken in any case', () => {
    expect(decodeOf('STOMP')).toBe('stomp');
    expect(decodeOf('GraphQL-WS')).toBe('graphql-ws');
    expect(decodeOf(' SocketIO ')).toBe('socketio');
  });

  it('connect --help says so', () => {
    const help = parseCommandLine(['connect', '--help']);
    const text = help.kind === 'help' ? help.text.replace(/\s+/g, ' ') : '';
    expect(text).toContain('or base64, in any case; another spelling (socket.io, graphql-transport-ws, messagepack) is refused with the name meant');
  });

  it('another name for a decoder is refused with the one meant', () => {
    const list = 'is not one of auto, none, socketio, stomp, mqtt, graphql-ws, signalr, msgpack, cbor, protobuf, compressed, base64, or protobuf:<file>#<Type>';
    expect(refusal('socket.io').message).toBe(`--decode: "socket.io" ${list}; did you mean socketio?`);
    expect(refusal('Socket.IO').message).toBe(`--decode: "Socket.IO" ${list}; did you mean socketio?`);
    expect(refusal('proto').message).toBe(`--decode: "proto" ${list}; did you mean protobuf (fields by number) or protobuf:<file>#<Type> (with a schema)?`);
    expect(refusal('thrift').message).toBe(`--decode: "thrift" ${list}`);
    const meant: Record<string, string> = {
      'socket.io': 'socketio',
      socket_io: 'socketio',
      'engine.io': 'socketio',
      graphql: 'graphql-ws',
      'graphql-transport-ws': 'graphql-ws',
      'subscriptions-transport-ws': 'graphql-ws',
      graphqlws: 'graphql-ws',
      messagepack: 'msgpack',
      MessagePack: 'msgpack',
      'signalr-json': 'signalr',
      proto3: 'protobuf',
      protobuf3: 'protobuf',
      mqttv5: 'mqtt',
      'mqtt-3.1.1': 'mqtt',
      gzip: 'compressed',
      stmop: 'stomp',
      msgpak: 'msgpack',
      raw: 'none',
    };
    for (const [typed, name] of Object.entries(meant)) expect([typed, decodeNameMeant(typed)]).toEqual([typed, name]);
    for (const typed of ['thrift', 'json', 'x', '', 'grpc', 'automatic']) expect([typed, decodeNameMeant(typed)]).toEqual([typed, undefined]);
  });
});

describe('a type name that is not a message', () => {
  const text = `syntax = "proto3";
package chat;
message Msg { string text = 1; Kind kind = 2; oneof body { string a = 3; } }
message Other { }
enum Kind { KIND_UNSPECIFIED = 0; }
service Chat { rpc Send (Msg) returns (Other); }`;
  const root = protobuf.parse(text, { keepCase: true }).root;
  root.resolveAll();
  const types = ['chat.Msg', 'chat.Other'];

  it('says what it is, and the message types of the file', () => {
    const where = '/schemas/chat.proto';
    expect(notAMessageProblem(root, 'chat.Kind', types, where)).toBe('chat.Kind is an enum, not a message; message types in chat.proto: chat.Msg, chat.Other');
    expect(notAMessageProblem(root, '.chat.Chat', types, where)).toBe('chat.Chat is a service, not a message; message types in chat.proto: chat.Msg, chat.Other');
    expect(notAMessageProblem(root, 'chat.Chat.Send', types, where)).toBe('chat.Chat.Send is a method of the service chat.Chat (its request is chat.Msg), not a message; message types in chat.proto: chat.Msg, chat.Other');
    expect(notAMessageProblem(root, 'chat', types, where)).toBe('chat is a package, not a message; message types in chat.proto: chat.Msg, chat.Other');
    expect(notAMessageProblem(root, 'chat.Msg.text', types, where)).toBe('chat.Msg.text is a field of chat.Msg, not a message; message types in chat.proto: chat.Msg, chat.Other');
    expect(notAMessageProblem(root, 'chat.Kind', [], 'chat.desc')).toBe('chat.Kind is an enum, not a message; chat.desc has no message types');
  });

  it('says nothing for a message or a name not in the schema (the caller lists the types)', () => {
    expect(notAMessageProblem(root, 'chat.Msg', types, 'chat.proto')).toBeUndefined();
    expect(notAMessageProblem(root, 'chat.Nope', types, 'chat.proto')).toBeUndefined();
    expect(notAMessageProblem(root, '', types, 'chat.proto')).toBeUndefined();
  });
});
