/**
 * What exports (NDJSON `decoded`, HAR `_decoded`) and the CLI's `--json` say of a conversation's
 * stream items and answers, against the app (conversation-of.ts, the detail pane's
 * conversation-rows.ts): the same roles, frame for frame (a GraphQL `next` and a SignalR StreamItem
 * are stream items, `complete` and Completion answers; MQTT QoS 2 in two rounds, PUBREL a request
 * that PUBCOMP answers; a STOMP MESSAGE a stream item of its SUBSCRIBE), and no time at all: the
 * app's latency (`frames:decode` `answers.latencyMs`, shown for answers only) and a stream item's
 * time since its request are the app's, never written into a file or a `--json` line, so neither
 * can say a stream item's time is a latency.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { CliFrameDecoding } from '../../../src-main/cli/frame-decoding';
import { JsonPrinter } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { DecoderName } from '../../../src-main/core/decode/decoded-frame';
import { exportToText } from '../../../src-main/core/export/export-session';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import type { FrameBody, FrameSummary } from '../../../src-main/shared/model';
import { T0, fixtureSession } from './log-fixture';

interface Planned {
  dir: 'in' | 'out';
  payload: Buffer;
  /** The conversation role the app gives the frame (undefined: in none). */
  role?: 'request' | 'answer' | 'stream';
}

const text = (dir: 'in' | 'out', value: string, role?: Planned['role']): Planned => ({ dir, payload: Buffer.from(value), ...(role ? { role } : {}) });
const packet = (dir: 'in' | 'out', value: mqtt.Packet, role?: Planned['role']): Planned => ({ dir, payload: mqtt.generate(value), ...(role ? { role } : {}) });

const STREAMS: { name: string; protocol: DecoderName; opcode: 'text' | 'binary'; frames: Planned[] }[] = [
  {
    name: 'GraphQL subscription: next items, then complete',
    protocol: 'graphql-ws',
    opcode: 'text',
    frames: [
      text('out', '{"type":"connection_init"}'),
      text('in', '{"type":"connection_ack"}'),
      text('out', '{"id":"1","type":"subscribe","payload":{"query":"subscription { ticks }"}}', 'request'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"ticks":1}}}', 'stream'),
      text('in', '{"id":"1","type":"next","payload":{"data":{"ticks":2}}}', 'stream'),
      text('in', '{"id":"1","type":"complete"}', 'answer'),
    ],
  },
  {
    name: 'SignalR stream: StreamItems, then Completion',
    protocol: 'signalr',
    opcode: 'text',
    frames: [
      text('out', '{"protocol":"json","version":1}\x1e'),
      text('in', '{}\x1e'),
      text('out', '{"type":4,"invocationId":"1","target":"Counter","arguments":[3]}\x1e', 'request'),
      text('in', '{"type":2,"invocationId":"1","item":1}\x1e', 'stream'),
      text('in', '{"type":2,"invocationId":"1","item":2}\x1e', 'stream'),
      text('in', '{"type":3,"invocationId":"1"}\x1e', 'answer'),
    ],
  },
  {
    name: 'MQTT QoS 2: PUBLISH/PUBREC, then PUBREL/PUBCOMP',
    protocol: 'mqtt',
    opcode: 'binary',
    frames: [
      packet('out', { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', keepalive: 0, clean: true }),
      packet('in', { cmd: 'connack', returnCode: 0, sessionPresent: false }),
      packet('out', { cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 2, retain: false, dup: false, messageId: 5 }, 'request'),
      packet('in', { cmd: 'pubrec', messageId: 5 }, 'answer'),
      packet('out', { cmd: 'pubrel', messageId: 5 }, 'request'),
      packet('in', { cmd: 'pubcomp', messageId: 5 }, 'answer'),
    ],
  },
  {
    name: 'STOMP subscription: MESSAGEs',
    protocol: 'stomp',
    opcode: 'text',
    frames: [
      text('out', 'CONNECT\naccept-version:1.2\nhost:/\n\n\0'),
      text('in', 'CONNECTED\nversion:1.2\n\n\0'),
      text('out', 'SUBSCRIBE\nid:0\ndestination:/topic/a\n\n\0', 'request'),
      text('in', 'MESSAGE\nsubscription:0\ndestination:/topic/a\nmessage-id:1\n\n1\0', 'stream'),
      text('in', 'MESSAGE\nsubscription:0\ndestination:/topic/a\nmessage-id:2\n\n2\0', 'stream'),
    ],
  },
];

/** No member anywhere that times a frame from another. */
const TIMING = /"(latencyMs|sinceRequestMs|answers|_latencyMs)"/;

function roleOf(decoded: unknown): string | undefined {
  if (typeof decoded !== 'object' || decoded === null || !('conversation' in decoded)) return undefined;
  const conversation = decoded.conversation;
  return typeof conversation === 'object' && conversation !== null && 'role' in conversation && typeof conversation.role === 'string' ? conversation.role : undefined;
}

describe.each(STREAMS)('$name', ({ protocol, opcode, frames }) => {
  const wanted = frames.map((frame) => frame.role);

  it('exports: each frame’s role as the app gives it, and no time between frames (NDJSON and HAR)', async () => {
    const store = new FrameStore();
    // 40 ms apart: a time since the request would be there to write.
    frames.forEach((frame, i) => store.push(frame.dir, opcode, frame.payload, undefined, T0 + 100 + 40 * i));
    const session = fixtureSession({ frames: store, steps: [], url: 'wss://stream.example/ws' });
    for (const format of ['ndjson', 'har'] as const) {
      const { text: exported } = await exportToText(session, { format, version: '9.9.9', decoding: { choice: protocol } });
      const lines: Record<string, unknown>[] =
        format === 'ndjson'
          ? exported.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as Record<string, unknown>)
          : ((JSON.parse(exported) as { log: { entries: { _webSocketMessages: Record<string, unknown>[] }[] } }).log.entries[0]?._webSocketMessages ?? []);
      expect(lines.map((line) => roleOf(line.decoded ?? line._decoded)), format).toEqual(wanted);
      expect(exported, format).not.toMatch(TIMING);
    }
  });

  it('--json: each frame’s role as the app gives it, and no time between frames', async () => {
    const summaries: FrameSummary[] = frames.map((frame, i) => ({
      seq: i + 1,
      dir: frame.dir,
      opcode,
      at: T0 + 100 + 40 * i,
      size: frame.payload.byteLength,
      preview: opcode === 'text' ? frame.payload.toString() : '',
      truncated: false,
    }));
    const body = (seq: number): FrameBody | undefined => {
      const frame = frames[seq - 1];
      const summary = summaries[seq - 1];
      return frame && summary ? { frame: summary, base64: frame.payload.toString('base64'), ...(opcode === 'text' ? { text: frame.payload.toString() } : {}) } : undefined;
    };
    const out: string[] = [];
    const printer = new JsonPrinter((line) => out.push(line), new Scrubber([]), body, new CliFrameDecoding(protocol, body, () => undefined));
    await printer.frames({ type: 'frames', sessionId: 's', fromSeq: 1, dropped: 0, frames: summaries });
    const lines = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => roleOf(line.decoded))).toEqual(wanted);
    for (const line of out) expect(line).not.toMatch(TIMING);
  });
});
