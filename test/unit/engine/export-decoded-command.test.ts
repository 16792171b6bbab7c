/**
 * frames:export and frames:export-to-file with the opt-in `decoded` (issue 14 §2): checked at
 * the boundary (a decoder that does not exist, a schema without protobuf, a schema file on a
 * host that reads no files, a type that is not in the schema: each refused naming the field),
 * and written: STOMP recognised by auto on an imported log, Protocol Buffers with a .proto file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';

let engine: Engine | undefined;
let dir: string | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function pathOf(error: object): string {
  return 'path' in error && typeof error.path === 'string' ? error.path : '';
}

async function imported(host: 'web' | 'cli', frames: { dir: string; opcode: 'text' | 'binary'; payload: Buffer }[]): Promise<{ e: Engine; sessionId: string }> {
  const e = new Engine({ host, version: '1', env: {}, ...(host === 'cli' ? { allowFileExport: true } : {}) });
  engine = e;
  const text = frames
    .map((f, i) =>
      JSON.stringify({ seq: i + 1, dir: f.dir, opcode: f.opcode, at: `2024-05-01T10:00:0${i}.000Z`, size: f.payload.byteLength, ...(f.opcode === 'text' ? { text: f.payload.toString() } : { base64: f.payload.toString('base64') }) }),
    )
    .join('\n');
  const result = await e.call('frames:import', { text, name: 'log.ndjson' });
  if (!result.ok) throw new Error(result.error.message);
  return { e, sessionId: result.value.sessionId };
}

const stomp = [
  { dir: 'out', opcode: 'text' as const, payload: Buffer.from('CONNECT\naccept-version:1.2\n\n\u0000') },
  { dir: 'in', opcode: 'text' as const, payload: Buffer.from('CONNECTED\nversion:1.2\n\n\u0000') },
];

describe('exports with decoded frames, through the engine', () => {
  it('frames:export adds decoded to each frame a decoder reads', async () => {
    const { e, sessionId } = await imported('web', stomp);
    const result = await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'auto' } });
    if (!result.ok) throw new Error(result.error.message);
    const lines = result.value.text.trimEnd().split('\n').map((line) => JSON.parse(line) as { decoded?: { summary: string; guess?: boolean } });
    expect(lines.slice(1).map((line) => line.decoded?.summary)).toEqual(['CONNECT accept-version=1.2', 'CONNECTED version=1.2']);
    expect(lines[1]?.decoded?.guess).toBe(true);
  });

  it('refuses what it cannot do, naming the field', async () => {
    const { e, sessionId } = await imported('web', stomp);
    const unknown = await e.call('frames:export', { sessionId, format: 'har', decoded: { choice: 'thrift' } });
    expect(unknown.ok).toBe(false);
    if (unknown.ok) return;
    expect(unknown.error.message).toBe('decoded.choice: "thrift" is not auto or one of socketio, stomp, mqtt, graphql-ws, signalr, msgpack, cbor, protobuf, compressed, base64');
    expect(pathOf(unknown.error)).toBe('decoded.choice');
    const none = await e.call('frames:export', { sessionId, format: 'har', decoded: { choice: 'none' } });
    expect(none.ok).toBe(false);
    const schemaForStomp = await e.call('frames:export', { sessionId, format: 'har', decoded: { choice: 'stomp', protobuf: { file: '/x.proto', type: 'X' } } });
    expect(!schemaForStomp.ok && schemaForStomp.error.message).toBe('decoded.protobuf: a schema goes with the choice protobuf');
    const fileOnWeb = await e.call('frames:export', { sessionId, format: 'har', decoded: { choice: 'protobuf', protobuf: { file: '/x.proto', type: 'X' } } });
    expect(!fileOnWeb.ok && fileOnWeb.error).toMatchObject({ code: 'FORBIDDEN', message: 'decoded.protobuf: this host does not read schema files' });
  });

  it('frames:export-to-file decodes Protocol Buffers with a .proto file; a type not in it is refused', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tunnelscope-export-decoded-'));
    const proto = path.join(dir, 'price.proto');
    await writeFile(proto, 'syntax = "proto3"; package shop; message Price { string sym = 1; int64 cents = 2; }');
    const Price = protobuf.parse('syntax = "proto3"; message Price { string sym = 1; int64 cents = 2; }').root.lookupType('Price');
    const payload = Buffer.from(Price.encode(Price.create({ sym: 'ABC', cents: 1234 })).finish());
    const { e, sessionId } = await imported('cli', [{ dir: 'in', opcode: 'binary', payload }]);
    const out = path.join(dir, 'out.ndjson');
    const written = await e.call('frames:export-to-file', { sessionId, format: 'ndjson', path: out, decoded: { choice: 'protobuf', protobuf: { file: proto, type: 'shop.Price' } } });
    if (!written.ok) throw new Error(written.error.message);
    const line = JSON.parse((await readFile(out, 'utf8')).trimEnd().split('\n')[1] ?? '') as { decoded?: unknown };
    expect(line.decoded).toEqual({ protocol: 'protobuf', summary: 'shop.Price map {sym, cents}', value: { sym: 'ABC', cents: '1234' } });
    const missing = await e.call('frames:export-to-file', { sessionId, format: 'ndjson', path: out, decoded: { choice: 'protobuf', protobuf: { file: proto, type: 'shop.Nope' } } });
    expect(!missing.ok && missing.error.message).toBe('decoded.protobuf: no message type "shop.Nope" in the schema; it has shop.Price');
  });
});
