/**
 * `profiles show` says the profile's Decode choice (its --json had `"decode"`, the text had
 * nothing) and names a saved protocol message's protocol and command ("STOMP SUBSCRIBE", was
 * "protocol"). Run in process against the real Engine with a data folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { decodeText, protocolMessageWords } from '../../../src-main/cli/profile-show-text';
import { runProfiles } from '../../../src-main/cli/profiles-command';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { fakeIo } from './fake-engine';
import { makeTempDir, valueOf } from '../profiles/profile-fixtures';

let temp: ReturnType<typeof makeTempDir> | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  temp?.cleanup();
  temp = undefined;
});

const SUBSCRIBE = JSON.stringify({ protocol: 'stomp', command: 'SUBSCRIBE', headers: [{ name: 'destination', value: '/topic/prices' }, { name: 'id', value: 'sub-0' }] });

async function show(profile: Record<string, unknown>): Promise<string> {
  temp = makeTempDir();
  engine = new Engine({ host: 'cli', version: '1', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  valueOf(await engine.call('profiles:save', { profile: { name: 'Feed', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {}, ...profile } }));
  const command = parseCommandLine(['profiles', 'show', 'Feed']);
  if (command.kind !== 'profiles') throw new Error('expected profiles');
  const io = fakeIo();
  expect(await runProfiles(command, engine, io)).toBe(0);
  return io.stdoutText();
}

describe('profiles show: Decode and saved protocol messages', () => {
  it('prints the Decode choice and names a saved message by protocol and command', async () => {
    const text = await show({ decode: 'stomp', savedMessages: [{ name: 'prices', kind: 'protocol', body: SUBSCRIBE }, { name: 'hi', kind: 'text', body: 'hello' }] });
    expect(text).toMatch(/^Decode {12}STOMP \(stomp\)$/m);
    expect(text).toContain(`1. prices (STOMP SUBSCRIBE, ${SUBSCRIBE.length} characters)`);
    expect(text).toContain('2. hi (text, 5 characters)');
  });

  it('a profile without a choice decodes with auto, and says so', async () => {
    expect(await show({})).toMatch(/^Decode {12}auto \(recognised from the handshake and the first messages\)$/m);
  });

  it('words each choice and each protocol message', () => {
    expect(decodeText('none', undefined)).toBe('none (frames are shown as they are, not decoded)');
    expect(decodeText('msgpack', undefined)).toBe('MessagePack (msgpack)');
    expect(decodeText('protobuf', undefined)).toBe('Protocol Buffers (protobuf), no schema: each message read by field number');
    const schema = { name: 'chat.proto', proto: 'syntax = "proto3";' };
    expect(decodeText('protobuf', { schema, type: 'chat.Msg', rules: [{ dir: 'in', type: 'chat.Reply' }] })).toBe('Protocol Buffers (protobuf), schema chat.proto#chat.Msg, 1 type rule');
    expect(decodeText('protobuf', { schema })).toBe('Protocol Buffers (protobuf), schema chat.proto, no message type chosen');
    expect(decodeText('yaml', undefined)).toBe('yaml (this version has no decoder for it: connect --profile decodes with auto)');
    expect(protocolMessageWords(JSON.stringify({ protocol: 'mqtt', packet: { cmd: 'subscribe', topic: 'a/b' } }))).toBe('MQTT SUBSCRIBE');
    expect(protocolMessageWords(JSON.stringify({ protocol: 'socketio', event: 'chat' }))).toBe('Socket.IO emit');
    expect(protocolMessageWords(JSON.stringify({ protocol: 'socketio', type: 'connect', namespace: '/admin' }))).toBe('Socket.IO CONNECT /admin');
    expect(protocolMessageWords(JSON.stringify({ protocol: 'graphql', type: 'connection_init' }))).toBe('GraphQL connection_init');
    expect(protocolMessageWords(JSON.stringify({ protocol: 'signalr', type: 'invocation', target: 'Send', arguments: '["hi"]' }))).toBe('SignalR invocation Send');
    expect(protocolMessageWords(JSON.stringify({ protocol: 'signalr', type: 'handshake' }))).toBe('SignalR handshake');
    expect(protocolMessageWords(JSON.stringify({ protocol: 'cbor', json: '{}' }))).toBe('CBOR value');
    expect(protocolMessageWords('not json')).toBe('protocol');
  });
});
