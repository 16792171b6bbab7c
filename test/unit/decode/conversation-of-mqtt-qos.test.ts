/**
 * MQTT acknowledgement rounds as conversations: QoS 2 is two rounds, PUBLISH → PUBREC, then
 * PUBREL → PUBCOMP, so PUBREL (from the side that published) is a request and PUBCOMP's latency
 * runs from it, not from the PUBLISH; QoS 1 is PUBLISH → PUBACK. Both directions: our PUBLISH
 * answered by the broker, and the broker's PUBLISH answered by us. Frames decoded in order by the
 * real decoder; the engine's link (requestBefore) and the detail pane's rows (conversationRows) agree.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { conversationOf } from '../../../src-main/core/decode/conversation-of';
import type { DecodeOutcome } from '../../../src-main/core/decode/decoded-frame';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { requestBefore, type RequestLookup } from '../../../src-main/core/decode/request-before';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { conversationRows } from '../../../src-renderer/src/frame-view/conversation-rows';
import { frames as summaries } from '../../renderer/stores/frame-fixtures';

type Dir = 'in' | 'out';
const v4 = { protocolVersion: 4 };
const packet = (p: mqtt.Packet): Uint8Array => Uint8Array.from(mqtt.generate(p, v4));

/** [dir, packet, at ms]: a QoS 2 PUBLISH answered 1,100 ms later, PUBCOMP right after PUBREL. */
function session(frames: readonly [Dir, Uint8Array, number][]) {
  const decoder = new MqttDecoder();
  const outcomes: (DecodeOutcome | undefined)[] = frames.map(([dir, bytes], i) => decoder.decode({ seq: i + 1, dir, opcode: 'binary', bytes }));
  const lookup: RequestLookup = {
    decodeAt: (seq) => outcomes[seq - 1],
    entry: (seq) => {
      const frame = frames[seq - 1];
      return frame ? { dir: frame[0], at: frame[2] } : undefined;
    },
    firstSeq: 1,
  };
  const ref = (seq: number) => {
    const outcome = outcomes[seq - 1];
    const frame = frames[seq - 1];
    return outcome && frame ? conversationOf(outcome, frame[0]) : undefined;
  };
  /** Each frame's role and the request it links to (the engine's `answers`), with the time between. */
  const links = frames.map((frame, i) => {
    const seq = i + 1;
    const r = ref(seq);
    const link = r ? requestBefore(seq, r, lookup) : undefined;
    const request = link?.kind === 'found' ? link.seq : null;
    return [seq, r?.role ?? null, request, request === null ? null : frame[2] - (frames[request - 1]?.[2] ?? 0)];
  });
  const decoded = new Map<number, DecodedFrame>(outcomes.map((o, i) => [i + 1, { seq: i + 1, kind: 'decoded', protocol: 'mqtt', summary: o === undefined || o.kind === 'invalid' ? '' : o.summary, conversation: ref(i + 1) }]));
  const list: FrameSummary[] = summaries(1, frames.length, (seq) => ({ at: frames[seq - 1]?.[2] ?? 0, dir: frames[seq - 1]?.[0] ?? 'in' }));
  const rows = (key: string) => conversationRows(list, decoded, key).filter((row) => row.role !== '').map((row) => [row.seq, row.role, row.latencyMs]);
  return { links, rows, ref };
}

const CONNECT: [Dir, Uint8Array, number][] = [
  ['out', packet({ cmd: 'connect', clientId: 'c1', protocolVersion: 4, protocolId: 'MQTT', keepalive: 60, clean: true }), 0],
  ['in', packet({ cmd: 'connack', returnCode: 0, sessionPresent: false }), 5],
];

describe('MQTT acknowledgement rounds', () => {
  it('QoS 2 from us: PUBREC answers the PUBLISH, PUBREL asks again, PUBCOMP answers the PUBREL (0 ms, not +1.10 s)', () => {
    const s = session([
      ...CONNECT,
      ['out', packet({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 2, messageId: 9, retain: false, dup: false }), 1000],
      ['in', packet({ cmd: 'pubrec', messageId: 9 }), 2100],
      ['out', packet({ cmd: 'pubrel', messageId: 9 }), 2100],
      ['in', packet({ cmd: 'pubcomp', messageId: 9 }), 2100],
    ]);
    expect(s.links.slice(2)).toEqual([
      [3, 'request', null, null],
      [4, 'answer', 3, 1100],
      [5, 'request', null, null],
      [6, 'answer', 5, 0],
    ]);
    expect(s.ref(5)?.key).toBe('mqtt id 9 ↑');
    // The detail pane times each answer from the latest request before it: the same figures.
    expect(s.rows('mqtt id 9 ↑')).toEqual([
      [3, 'request', null],
      [4, 'answer', 1100],
      [5, 'request', null],
      [6, 'answer', 0],
    ]);
  });

  it('QoS 2 from the broker: our PUBREC answers its PUBLISH, its PUBREL asks, our PUBCOMP answers that', () => {
    const s = session([
      ...CONNECT,
      ['in', packet({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 2, messageId: 4, retain: false, dup: false }), 1000],
      ['out', packet({ cmd: 'pubrec', messageId: 4 }), 1003],
      ['in', packet({ cmd: 'pubrel', messageId: 4 }), 1500],
      ['out', packet({ cmd: 'pubcomp', messageId: 4 }), 1502],
    ]);
    expect(s.links.slice(2)).toEqual([
      [3, 'request', null, null],
      [4, 'answer', 3, 3],
      [5, 'request', null, null],
      [6, 'answer', 5, 2],
    ]);
    expect(s.ref(6)?.key).toBe('mqtt id 4 ↓');
    expect(s.rows('mqtt id 4 ↓')).toEqual([
      [3, 'request', null],
      [4, 'answer', 3],
      [5, 'request', null],
      [6, 'answer', 2],
    ]);
  });

  it('QoS 1 both ways: PUBACK answers the PUBLISH; the same id in the other direction is another conversation', () => {
    const s = session([
      ...CONNECT,
      ['out', packet({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1, messageId: 2, retain: false, dup: false }), 1000],
      ['in', packet({ cmd: 'publish', topic: 't', payload: Buffer.from('y'), qos: 1, messageId: 2, retain: false, dup: false }), 1010],
      ['out', packet({ cmd: 'puback', messageId: 2 }), 1011],
      ['in', packet({ cmd: 'puback', messageId: 2 }), 1040],
    ]);
    expect(s.links.slice(2)).toEqual([
      [3, 'request', null, null],
      [4, 'request', null, null],
      [5, 'answer', 4, 1],
      [6, 'answer', 3, 40],
    ]);
  });
});
