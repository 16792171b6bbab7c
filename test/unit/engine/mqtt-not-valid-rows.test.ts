/**
 * MQTT's new problems as the inspector gets them (issue 14): an imported session decoded as MQTT,
 * read through the engine's `frames:decode` (what the log's rows and the detail pane ask; the log's
 * Summary cell of such rows: test/renderer/frame-view/mqtt-not-valid-summary.test.ts). A text frame is not valid MQTT
 * over WebSocket and cuts short the packet under way in its direction; the close after a PUBLISH
 * that never ends says how much of it arrived (shown in the detail pane: the log's Summary cell
 * is empty for control frames, an export writes it); a search matches neither.
 */
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';

type Line = { dir: 'in' | 'out'; opcode: 'text' | 'binary' | 'close'; bytes: Buffer };

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

const v5 = { protocolVersion: 5 } as const;
const publish = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 1, retain: false, dup: false }, v5);
const LINES: readonly Line[] = [
  { dir: 'out', opcode: 'binary', bytes: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 30 }, v5) },
  { dir: 'in', opcode: 'binary', bytes: publish.subarray(0, 6) },
  { dir: 'in', opcode: 'text', bytes: publish.subarray(6) }, // 3: not valid, cuts the PUBLISH short
  { dir: 'in', opcode: 'binary', bytes: publish }, // 4: a new packet
  { dir: 'in', opcode: 'binary', bytes: publish.subarray(0, 9) }, // 5: the rest never comes
  { dir: 'in', opcode: 'close', bytes: Buffer.from([0x03, 0xe8]) }, // 6
];

async function importSession(e: Engine): Promise<string> {
  const text = LINES.map((l, i) => {
    const at = new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString();
    const payload = l.opcode === 'text' ? { text: l.bytes.toString('latin1') } : l.opcode === 'close' ? { closeCode: 1000 } : { base64: l.bytes.toString('base64') };
    return JSON.stringify({ seq: i + 1, dir: l.dir, opcode: l.opcode, at, size: l.bytes.length, ...payload });
  }).join('\n');
  const imported = await e.call('frames:import', { text, name: 'mqtt.ndjson' });
  if (!imported.ok) throw new Error(imported.error.message);
  const chosen = await e.call('session:decoding', { sessionId: imported.value.sessionId, choice: 'mqtt' });
  if (!chosen.ok) throw new Error(chosen.error.message);
  return imported.value.sessionId;
}

describe('MQTT: a text frame and a PUBLISH cut short, as the inspector shows them', () => {
  it('frames:decode says what and where; a search matches neither', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const sessionId = await importSession(e);
    const rows = await e.call('frames:decode', { sessionId, seqs: [2, 3, 4, 5, 6] });
    if (!rows.ok) throw new Error(rows.error.message);
    const bySeq = new Map(rows.value.frames.map((f) => [f.seq, f]));
    const text = 'a text frame (MQTT over WebSocket is sent in binary frames only), which cuts short the PUBLISH under way in this direction: 4 of the 24 B after its fixed header arrived';
    expect(bySeq.get(3)).toMatchObject({ kind: 'invalid', protocol: 'mqtt', summary: `not valid MQTT: ${text}`, problem: text });
    expect(bySeq.get(4)).toMatchObject({ kind: 'decoded', summary: 'PUBLISH sensors/1 QoS 1 10 B id=1' });
    expect(bySeq.get(5)).toMatchObject({ kind: 'partial', summary: 'part of an MQTT PUBLISH: 7 of the 24 B after its fixed header so far (continues in a later message)' });
    const close = 'a close frame, which cuts short the PUBLISH under way in this direction: 7 of the 24 B after its fixed header arrived';
    expect(bySeq.get(6)).toMatchObject({ kind: 'invalid', summary: `not valid MQTT: ${close}`, problem: close });

    const found = await e.call('frames:search', { sessionId, filter: { decoded: { query: "$.cmd == 'publish'" } } });
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.matches.map((m) => m.seq)).toEqual([4]);
    const topic = await e.call('frames:search', { sessionId, filter: { decoded: { topic: 'sensors/1' } } });
    expect(topic.ok && topic.value.matches.map((m) => m.seq)).toEqual([4]);
  });

  it('an NDJSON or HAR export with decodings gives the text frame and the close theirs, and imports again', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const sessionId = await importSession(e);
    const exported = await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'mqtt' } });
    if (!exported.ok) throw new Error(exported.error.message);
    const lines = exported.value.text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { seq: number; decoded?: { summary: string; valid?: boolean } });
    expect(lines.map((line) => line.decoded?.valid ?? null)).toEqual([null, null, false, null, null, false]);
    expect(lines[5]?.decoded?.summary).toBe('not valid MQTT: a close frame, which cuts short the PUBLISH under way in this direction: 7 of the 24 B after its fixed header arrived');
    const again = await e.call('frames:import', { text: exported.value.text, name: 'again.ndjson' });
    expect(again.ok).toBe(true);
    const har = await e.call('frames:export', { sessionId, format: 'har', decoded: { choice: 'mqtt' } });
    if (!har.ok) throw new Error(har.error.message);
    expect(har.value.text).toContain('"summary":"not valid MQTT: a close frame, which cuts short the PUBLISH');
    const harAgain = await e.call('frames:import', { text: har.value.text, name: 'again.har' });
    expect(harAgain.ok).toBe(true);
  });
});
