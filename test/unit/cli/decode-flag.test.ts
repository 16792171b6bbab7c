import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { UsageError } from '../../../src-main/cli/usage-error';

describe('connect --decode', () => {
  it('is left out unless given (auto, or the choice of a profile); takes each decoder name and none', () => {
    const plain = parseCommandLine(['connect', 'ws://h/', '--no-proxy']);
    expect(plain.kind === 'connect' && plain.decode).toBeUndefined();
    for (const name of ['none', 'socketio', 'stomp', 'mqtt', 'graphql-ws', 'signalr', 'msgpack', 'cbor', 'protobuf', 'compressed', 'base64', 'STOMP']) {
      const command = parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--decode', name]);
      expect(command.kind === 'connect' && command.decode).toBe(name.toLowerCase());
    }
  });

  it('refuses another name, listing the choices', () => {
    expect(() => parseCommandLine(['connect', 'ws://h/', '--decode', 'thrift'])).toThrow(UsageError);
    expect(() => parseCommandLine(['connect', 'ws://h/', '--decode', 'thrift'])).toThrow(
      '--decode: "thrift" is not one of auto, none, socketio, stomp, mqtt, graphql-ws, signalr, msgpack, cbor, protobuf, compressed, base64, or protobuf:<file>#<Type>',
    );
  });
});

describe('connect --decode protobuf:<file>#<Type>', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function protoFile(text: string): Promise<string> {
    dir ??= await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-decode-flag-'));
    const file = path.join(dir, `s${Math.random().toString(36).slice(2)}.proto`);
    await writeFile(file, text);
    return file;
  }

  it('loads the schema before connecting and decodes with its type', async () => {
    const file = await protoFile('syntax = "proto3"; package shop; message Price { string sym = 1; }');
    const command = parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--decode', `protobuf:${file}#shop.Price`]);
    if (command.kind !== 'connect') throw new Error('expected connect');
    expect(command.decode).toBe('protobuf');
    const schema = command.decodeSettings?.protobuf;
    expect(schema?.typeName).toBe('shop.Price');
    expect(schema?.decode(Uint8Array.from([0x0a, 0x01, 0x41]))).toEqual({ value: { sym: 'A' } });
  });

  it('a missing type, an unknown type, a broken .proto and a missing file are usage errors saying what', async () => {
    const file = await protoFile('syntax = "proto3";\nmessage Price {\n  string sym = ;\n}');
    const good = await protoFile('syntax = "proto3"; message Price { string sym = 1; }');
    const parse = (flag: string) => () => parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--decode', flag]);
    expect(parse(`protobuf:${good}`)).toThrow(`--decode: "protobuf:${good}" needs a schema file and a message type: protobuf:<file.proto or descriptor set>#<package.Type>`);
    expect(parse(`protobuf:${good}#Nope`)).toThrow(`--decode protobuf:${good}#Nope: no message type "Nope" in the schema; it has Price`);
    expect(parse(`protobuf:${file}#Price`)).toThrow(`--decode protobuf:${file}#Price: ${file}: illegal id ';' (${file}, line 3)`);
    expect(parse('protobuf:/nonexistent/x.proto#A')).toThrow('--decode protobuf: /nonexistent/x.proto does not exist');
    // A message's bytes given as the schema (QA D2: it said 'no message type "Price" in the schema; it has none').
    const message = path.join(path.dirname(good), 'order.bin');
    await writeFile(message, Buffer.from('08c80112026f6b', 'hex'));
    expect(parse(`protobuf:${message}#Price`)).toThrow(`--decode protobuf:${message}#Price: ${message} is not a .proto or descriptor set: its 7 B read as fields 1 (varint), 2; a descriptor set holds its files in field 1, length-delimited`);
  });
});

describe('connect --export-decoded', () => {
  it('goes with --export and decodes as --decode says; not with --decode none', () => {
    const out = path.join(os.tmpdir(), 'tunnelscope-export-decoded.ndjson');
    const auto = parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--export', out, '--export-decoded']);
    expect(auto.kind === 'connect' && auto.exportLog).toEqual({ path: out, format: 'ndjson', decoded: { choice: 'auto' } });
    const stomp = parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--export', out, '--export-decoded', '--decode', 'stomp']);
    expect(stomp.kind === 'connect' && stomp.exportLog?.decoded).toEqual({ choice: 'stomp' });
    const plain = parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--export', out]);
    expect(plain.kind === 'connect' && plain.exportLog).toEqual({ path: out, format: 'ndjson' });
    expect(() => parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--export-decoded'])).toThrow('--export-decoded goes with --export <file>');
    expect(() => parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--export', out, '--export-decoded', '--decode', 'none'])).toThrow('--export-decoded cannot be combined with --decode none (nothing would be decoded)');
  });
});
