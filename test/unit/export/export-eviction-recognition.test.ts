/**
 * A STOMP or MQTT session without a subprotocol is recognised from its CONNECT, one of its first
 * messages. After the store evicted them, an export's masker (export-credentials.ts) recognised
 * nothing from the first stored messages, and a later CONNECT (a second one, a reconnect's) was
 * written with its passcode, as was a SEND's credential header. Now the rest of the store is
 * looked through for a CONNECT or a message that is wholly STOMP frames
 * (stored-credential-protocol.ts), and what the protocol's masker finds is masked from the oldest
 * stored frame on: the same bytes as an export of a store that kept the first CONNECT.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { exportToText } from '../../../src-main/core/export/export-session';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import type { LogFormat } from '../../../src-main/shared/log-file';
import { fixtureSession } from './log-fixture';

type Message = { dir: 'in' | 'out'; opcode: 'text' | 'binary'; payload: Buffer };

const stomp = (dir: 'in' | 'out', text: string): Message => ({ dir, opcode: 'text', payload: Buffer.from(text) });
const packet = (dir: 'in' | 'out', value: mqtt.Packet): Message => ({ dir, opcode: 'binary', payload: mqtt.generate(value) });

const CASES: { name: string; secrets: string[]; first: Message[]; filler: Message; later: Message[] }[] = [
  {
    name: 'STOMP: a SEND with an authorization header, then a second CONNECT',
    secrets: ['Later-Token-222', 'Second-Pass-333'],
    first: [stomp('out', 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:First-Pass-111\n\n\0'), stomp('in', 'CONNECTED\nversion:1.2\n\n\0')],
    filler: stomp('in', 'MESSAGE\nsubscription:0\ndestination:/a\nmessage-id:1\n\nx\0'),
    later: [stomp('out', 'SEND\ndestination:/a\nauthorization:Bearer Later-Token-222\n\nhi\0'), stomp('out', 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:Second-Pass-333\n\n\0')],
  },
  {
    name: 'MQTT: a second CONNECT',
    secrets: ['Second-Mqtt-444'],
    first: [packet('out', { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'u', password: Buffer.from('First-Mqtt-111'), keepalive: 0, clean: true })],
    filler: packet('in', { cmd: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }),
    later: [packet('out', { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'u', password: Buffer.from('Second-Mqtt-444'), keepalive: 0, clean: true })],
  },
];

function frameLines(text: string, format: LogFormat): unknown[] {
  if (format === 'ndjson') return text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as unknown);
  return (JSON.parse(text) as { log: { entries: { _webSocketMessages: unknown[] }[] } }).log.entries[0]?._webSocketMessages ?? [];
}

/** A line as written, without when it was exported. */
function lineOf(line: unknown): string {
  return JSON.stringify(line);
}

describe.each(CASES)('$name, after the first CONNECT was evicted', ({ secrets, first, filler, later }) => {
  const messages = [...first, ...Array.from({ length: 40 }, () => filler), ...later];

  it.each([['ndjson'], ['har']] as const)('%s: no secret, each later frame masked as in an export that kept the first CONNECT', async (format) => {
    const evicted = new FrameStore({ maxFrames: messages.length - first.length - 5 });
    const kept = new FrameStore();
    for (const message of messages) {
      evicted.push(message.dir, message.opcode, message.payload, undefined, 1000);
      kept.push(message.dir, message.opcode, message.payload, undefined, 1000);
    }
    expect(evicted.firstSeq).toBe(first.length + 6);
    for (const decoding of [undefined, { choice: 'auto' as const }]) {
      const session = (frames: FrameStore) => fixtureSession({ frames, steps: [], url: 'ws://broker.test/ws' });
      const { text } = await exportToText(session(evicted), { format, version: '9.9.9', ...(decoding ? { decoding } : {}) });
      expect(secrets.filter((secret) => text.includes(secret)), `decoding ${decoding?.choice ?? 'not asked'}`).toEqual([]);
      const whole = frameLines((await exportToText(session(kept), { format, version: '9.9.9' })).text, format);
      const got = frameLines((await exportToText(session(evicted), { format, version: '9.9.9' })).text, format);
      // HAR's first message also says its number (`_seq`): the frames before it were evicted.
      if (format === 'har') expect(Reflect.get(Object(got[0]), '_seq')).toBe(evicted.firstSeq);
      expect(got.map(lineOf)).toEqual(whole.slice(evicted.firstSeq - 1).map((line, index) => (format === 'har' && index === 0 ? lineOf({ ...Object(line), _seq: evicted.firstSeq }) : lineOf(line))));
    }
  });
});

it('with no CONNECT among the stored frames and no subprotocol, stored messages that are wholly STOMP frames say STOMP: a SEND’s credential header is masked (before, written in clear)', async () => {
  const store = new FrameStore({ maxFrames: 10 });
  for (let i = 0; i < 20; i++) store.push('out', 'text', Buffer.from(`SEND\ndestination:/a\npasscode:not-a-${i}\n\nx\0`), undefined, 1000);
  const { text } = await exportToText(fixtureSession({ frames: store, steps: [], url: 'ws://plain.test/ws' }), { format: 'ndjson', version: '9.9.9' });
  for (let i = 10; i < 20; i++) expect(text).not.toContain(`not-a-${i}`);
  expect(text).toContain('"redacted"');
});
