/**
 * The CLI and exports hand frames to a SessionDecoding in seq order; a seq that jumps means
 * frames were lost (evicted before they were read), so the decoder starts afresh. A ping, pong
 * or close between two messages is no such gap: what the earlier messages set (a GraphQL
 * subscribe naming later results, an MQTT 5 topic alias, the first part of a split STOMP frame)
 * still holds after it, as the app decodes it (its walk reads every stored frame).
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { CliFrameDecoding } from '../../../src-main/cli/frame-decoding';
import { StoreDecoding } from '../../../src-main/core/decode/store-decoding';
import { ExportDecoding } from '../../../src-main/core/export/export-decoding';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import type { FrameSummary } from '../../../src-main/shared/model';

type Opcode = 'text' | 'binary' | 'ping' | 'pong';
interface Sent {
  dir: 'in' | 'out';
  opcode: Opcode;
  bytes: Buffer;
}

const graphql: Sent[] = [
  { dir: 'out', opcode: 'text', bytes: Buffer.from('{"type":"subscribe","id":"1","payload":{"query":"subscription OnPrice { price }"}}') },
  { dir: 'in', opcode: 'ping', bytes: Buffer.alloc(0) },
  { dir: 'out', opcode: 'pong', bytes: Buffer.alloc(0) },
  { dir: 'in', opcode: 'text', bytes: Buffer.from('{"type":"next","id":"1","payload":{"data":{"price":1}}}') },
];

const publish = (topic: string, alias: number): Buffer =>
  mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: alias } }, { protocolVersion: 5 });
const mqtt5: Sent[] = [
  { dir: 'out', opcode: 'binary', bytes: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 60 }, { protocolVersion: 5 }) },
  { dir: 'in', opcode: 'binary', bytes: publish('sensors/1', 1) },
  { dir: 'in', opcode: 'ping', bytes: Buffer.alloc(0) },
  { dir: 'in', opcode: 'binary', bytes: publish('', 1) },
];

const CASES = [
  { name: 'GraphQL results after a ping and a pong', protocol: 'graphql-ws' as const, frames: graphql, says: 'OnPrice' },
  { name: 'an MQTT 5 alias after a ping', protocol: 'mqtt' as const, frames: mqtt5, says: 'sensors/1' },
];

function storeOf(frames: readonly Sent[]): FrameStore {
  const store = new FrameStore({});
  for (const frame of frames) store.push(frame.dir, frame.opcode, frame.bytes);
  return store;
}

function summaryOf(seq: number, frame: Sent): FrameSummary {
  return { seq, dir: frame.dir, opcode: frame.opcode, at: 0, size: frame.bytes.length, preview: frame.opcode === 'text' ? frame.bytes.toString('utf8') : '', truncated: frame.opcode === 'binary' };
}

describe('a control frame between two messages is no gap for an in-order reader', () => {
  for (const { name, protocol, frames, says } of CASES) {
    const last = frames.length;

    it(`${name}: the app's decoding says it`, () => {
      const store = storeOf(frames);
      const app = new StoreDecoding(protocol, { url: 'ws://x.test/', frames: store, handshakeSteps: () => [] });
      expect(app.decodeAt(last)?.summary).toContain(says);
    });

    it(`${name}: an export decodes it as the app`, () => {
      const store = storeOf(frames);
      const app = new StoreDecoding(protocol, { url: 'ws://x.test/', frames: store, handshakeSteps: () => [] });
      const exported = new ExportDecoding({ frames: store, url: 'ws://x.test/', handshakeSteps: () => [] }, { choice: protocol });
      for (let seq = 1; seq < last; seq++) exported.at(seq);
      expect(exported.at(last)?.summary).toBe(app.decodeAt(last)?.summary);
    });

    it(`${name}: the CLI decodes it as the app`, () => {
      const store = storeOf(frames);
      const app = new StoreDecoding(protocol, { url: 'ws://x.test/', frames: store, handshakeSteps: () => [] });
      const body = (seq: number) => {
        const frame = frames[seq - 1];
        return frame ? { frame: summaryOf(seq, frame), base64: frame.bytes.toString('base64') } : undefined;
      };
      const cli = new CliFrameDecoding(protocol, body, () => undefined);
      let answer: unknown;
      frames.forEach((frame, k) => {
        answer = cli.decode(summaryOf(k + 1, frame));
      });
      expect(answer).toMatchObject({ summary: app.decodeAt(last)?.summary });
    });
  }
});
