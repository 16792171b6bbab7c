/**
 * `connect --decode mqtt`: a message that leaves an MQTT packet under way is printed "… so far"
 * as it comes (more may follow). When the session closes without more in that direction, the
 * printers say after the Closed line (human) or in the closed line (`unfinished`, JSON) what that
 * last message is now: the packet never completed. A direction whose packet completed, or whose
 * close said it (a close in the middle of a packet is not valid), adds nothing.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { CliFrameDecoding } from '../../../src-main/cli/frame-decoding';
import { HumanPrinter, PLAIN } from '../../../src-main/cli/human-output';
import { JsonPrinter } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { EngineEventOf } from '../../../src-main/shared/events';
import type { FrameBody, FrameSummary } from '../../../src-main/shared/model';

const v4 = { protocolVersion: 4 } as const;
const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 30 }, v4);
const publish = mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 1, retain: false, dup: false }, v4);
const NEVER = 'part of an MQTT PUBLISH: 7 of the 23 B after its fixed header arrived; the session ended before the rest';
const closed: EngineEventOf<'closed'> = { type: 'closed', sessionId: 's', code: null, reason: '', wasClean: false, initiatedBy: 'none', at: 2000 };

function frame(seq: number, dir: 'in' | 'out', opcode: 'binary' | 'close', bytes: Buffer): { summary: FrameSummary; body: FrameBody } {
  const summary: FrameSummary = { seq, dir, opcode, at: 1000 + seq, size: bytes.length, preview: bytes.toString('hex'), truncated: false };
  return { summary, body: { frame: summary, base64: bytes.toString('base64') } };
}

function run(frames: readonly ReturnType<typeof frame>[]): { human: string[]; json: Record<string, unknown> } {
  const bodies = new Map(frames.map((f) => [f.summary.seq, f.body]));
  const human: string[] = [];
  const humanDecoding = new CliFrameDecoding('mqtt', (seq) => bodies.get(seq), () => undefined);
  const printer = new HumanPrinter({ out: (l) => human.push(l), err: () => undefined }, PLAIN, new Scrubber([]), humanDecoding);
  printer.state({ type: 'state', sessionId: 's', state: 'open', previous: 'upgrading', at: 1000 });
  for (const f of frames) humanDecoding.decode(f.summary, f.body);
  printer.closed(closed);
  const lines: string[] = [];
  const jsonDecoding = new CliFrameDecoding('mqtt', (seq) => bodies.get(seq), () => undefined);
  for (const f of frames) jsonDecoding.decode(f.summary, f.body);
  new JsonPrinter((line) => lines.push(line), new Scrubber([]), (seq) => bodies.get(seq), jsonDecoding).closed(closed);
  return { human, json: JSON.parse(lines[0] ?? '{}') as Record<string, unknown> };
}

describe('connect --decode mqtt: a session that ends mid-packet', () => {
  it('says after the close that the last message received never completed its packet', () => {
    const { human, json } = run([frame(1, 'out', 'binary', connect), frame(2, 'in', 'binary', publish), frame(3, 'in', 'binary', publish.subarray(0, 9))]);
    const at = human.findIndex((line) => line.startsWith('Closed'));
    expect(human[at + 1]).toBe(`         ← the last message received: not valid MQTT: ${NEVER}`);
    expect(json).toMatchObject({ type: 'closed', unfinished: [{ seq: 3, dir: 'in', decoded: { protocol: 'mqtt', summary: `not valid MQTT: ${NEVER}`, valid: false, problem: NEVER } }] });
  });

  it('says nothing more when every packet completed, or a close in that direction said it', () => {
    const whole = run([frame(1, 'out', 'binary', connect), frame(2, 'in', 'binary', publish.subarray(0, 9)), frame(3, 'in', 'binary', publish.subarray(9))]);
    expect(whole.human.some((line) => line.includes('the last message'))).toBe(false);
    expect(whole.json.unfinished).toBeUndefined();
    const cut = run([frame(1, 'out', 'binary', connect), frame(2, 'in', 'binary', publish.subarray(0, 9)), frame(3, 'in', 'close', Buffer.from([0x03, 0xe8]))]);
    expect(cut.human.some((line) => line.includes('the last message'))).toBe(false);
    expect(cut.json.unfinished).toBeUndefined();
  });
});
