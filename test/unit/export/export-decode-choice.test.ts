/**
 * A log records the Decode choice it was read with (NDJSON header `decode`, HAR
 * `_tunnelscope.decode`), and an import hands it back for the tab: MessagePack, a protocol
 * override, Protocol Buffers by schema name and type (never the schema's content, so the import
 * says which schema to choose). Older files (no field) import as before; a field this version
 * cannot use is a note and Auto, never a refused file.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { exportToText } from '../../../src-main/core/export/export-session';
import { importLog } from '../../../src-main/core/export/import-log';
import { readLoggedDecode, recordedDecode } from '../../../src-main/core/export/logged-decode';
import type { LogFormat } from '../../../src-main/shared/log-file';
import type { LoggedDecode } from '../../../src-main/shared/log-decode';
import { fixtureSession } from './log-fixture';

const version = '9.9.9';
const PROTOBUF_NOTE =
  'decoded as Protocol Buffers with schema chat.proto#chat.Msg when exported; choose the schema to decode it (Decode → Schema…): until then each message is read without a schema, by field number';

async function roundTrip(format: LogFormat, decode: LoggedDecode | undefined): Promise<{ text: string; decode: LoggedDecode | undefined; notes: string[] }> {
  const { text } = await exportToText(fixtureSession(), { format, version, ...(decode ? { decode } : {}) });
  const outcome = await importLog(text, { format });
  if (!outcome.ok) throw new Error(outcome.problems.items.map((p) => p.message).join('; '));
  return { text, decode: outcome.log.decode, notes: outcome.log.notes };
}

/** The exported text with its recorded choice replaced by `value` (undefined: taken out, as an older file). */
function withRecorded(format: LogFormat, text: string, value: unknown): string {
  if (format === 'ndjson') {
    const [head = '', ...rest] = text.split('\n');
    const header = JSON.parse(head) as Record<string, unknown>;
    header.decode = value;
    return [JSON.stringify(header), ...rest].join('\n');
  }
  const document = JSON.parse(text) as { log: { entries: { _tunnelscope: Record<string, unknown> }[] } };
  const section = document.log.entries[0]?._tunnelscope;
  if (section) section.decode = value;
  return JSON.stringify(document, null, 2);
}

describe.each(['ndjson', 'har'] as const)('the Decode choice in a %s log', (format) => {
  it('records a chosen decoder and gives it back on import, without a note', async () => {
    const msgpack = await roundTrip(format, { choice: 'msgpack' });
    expect(msgpack.decode).toEqual({ choice: 'msgpack' });
    expect(msgpack.notes.filter((n) => /decod/i.test(n))).toEqual([]);
    // A protocol override (STOMP), and None, come back as well.
    expect((await roundTrip(format, { choice: 'stomp' })).decode).toEqual({ choice: 'stomp' });
    expect((await roundTrip(format, { choice: 'none' })).decode).toEqual({ choice: 'none' });
  });

  it('writes the field where the format keeps our own data', async () => {
    const { text } = await roundTrip(format, { choice: 'cbor' });
    if (format === 'ndjson') expect(JSON.parse(text.split('\n')[0] ?? '')).toMatchObject({ decode: { choice: 'cbor' } });
    else expect(JSON.parse(text)).toMatchObject({ log: { entries: [{ _tunnelscope: { decode: { choice: 'cbor' } } }] } });
  });

  it('Protocol Buffers: the schema by name and the type; the import says to choose the schema and reads without one meanwhile', async () => {
    const got = await roundTrip(format, { choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Msg' } });
    expect(got.decode).toEqual({ choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Msg' } });
    expect(got.notes).toContain(PROTOBUF_NOTE);
  });

  it('an older file (no field) imports as before: no choice, no note', async () => {
    const { text } = await roundTrip(format, { choice: 'msgpack' });
    const outcome = await importLog(withRecorded(format, text, undefined), { format });
    expect(outcome.ok && outcome.log.decode).toBe(undefined);
    expect(outcome.ok && outcome.log.notes).toEqual([]);
  });

  it('a choice this version has no decoder for, or a field it cannot read, is a note and Auto: the file still imports', async () => {
    const { text } = await roundTrip(format, { choice: 'msgpack' });
    const where = format === 'ndjson' ? 'line 1: decode' : 'log.entries[0]._tunnelscope.decode';
    const cases: [unknown, string][] = [
      [{ choice: 'yaml' }, 'the file says the session was decoded as "yaml", which this version has no decoder for: the log decodes with Auto'],
      [{ choice: 5 }, `the Decode choice in the file was not used (${where}.choice:`],
      ['msgpack', `the Decode choice in the file was not used (${where}:`],
      [{ choice: 'protobuf', protobuf: { type: 'chat.Msg' } }, `the Decode choice in the file was not used (${where}.protobuf.schema:`],
    ];
    for (const [value, note] of cases) {
      const outcome = await importLog(withRecorded(format, text, value), { format });
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) continue;
      expect(outcome.log.decode).toBe(undefined);
      expect(outcome.log.frames.count).toBeGreaterThan(0);
      expect(outcome.log.notes.some((n) => n.startsWith(note))).toBe(true);
    }
  });
});

describe('what an export records', () => {
  it('the choice given; else its decoded output\'s, a schema file by its name only', () => {
    expect(recordedDecode({ choice: 'stomp' }, { choice: 'auto' })).toEqual({ choice: 'stomp' });
    expect(recordedDecode(undefined, { choice: 'cbor' })).toEqual({ choice: 'cbor' });
    expect(recordedDecode(undefined, { choice: 'protobuf', protobuf: { file: '/home/ann/schemas/chat.proto', type: 'chat.Msg' } })).toEqual({
      choice: 'protobuf',
      protobuf: { schema: 'chat.proto', type: 'chat.Msg' },
    });
    expect(recordedDecode(undefined, { choice: 'protobuf', protobuf: { schema: { name: 'chat.proto', proto: 'syntax = "proto3";' } } })).toEqual({
      choice: 'protobuf',
      protobuf: { schema: 'chat.proto' },
    });
    expect(recordedDecode(undefined, undefined)).toBe(undefined);
  });

  it('a protobuf choice without a schema imports as schema-less protobuf, without a note', () => {
    expect(readLoggedDecode({ choice: 'protobuf' }, 'line 1: decode')).toEqual({ decode: { choice: 'protobuf' }, notes: [] });
  });
});

describe('through the engine (frames:export, frames:import)', () => {
  it('the export records the choice given (the schema never in the file) and the import answers it', async () => {
    const engine = new Engine({ host: 'web', version: '1', env: {} });
    try {
      const line = JSON.stringify({ seq: 1, dir: 'in', opcode: 'binary', at: '2024-05-01T10:00:00.000Z', size: 3, base64: Buffer.from([0x08, 0x96, 0x01]).toString('base64') });
      const first = await engine.call('frames:import', { text: line, name: 'plain.ndjson' });
      if (!first.ok) throw new Error(first.error.message);
      expect(first.value.decode).toBe(undefined);
      const proto = 'syntax = "proto3";\npackage chat;\nmessage Msg { uint32 n = 1; }\n';
      const exported = await engine.call('frames:export', {
        sessionId: first.value.sessionId,
        format: 'har',
        decoded: { choice: 'protobuf', protobuf: { schema: { name: 'chat.proto', proto }, type: 'chat.Msg' } },
      });
      if (!exported.ok) throw new Error(exported.error.message);
      expect(exported.value.text).not.toContain('message Msg');
      const again = await engine.call('frames:import', { text: exported.value.text, name: 'chat.har' });
      if (!again.ok) throw new Error(again.error.message);
      expect(again.value.decode).toEqual({ choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Msg' } });
      expect(again.value.notes).toContain(PROTOBUF_NOTE);
      const given = await engine.call('frames:export', { sessionId: first.value.sessionId, format: 'ndjson', decode: { choice: 'msgpack' } });
      if (!given.ok) throw new Error(given.error.message);
      const third = await engine.call('frames:import', { text: given.value.text, name: 'mp.ndjson' });
      expect(third.ok && third.value.decode).toEqual({ choice: 'msgpack' });
    } finally {
      await engine.dispose();
    }
  });
});
