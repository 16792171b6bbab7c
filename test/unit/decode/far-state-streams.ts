/**
 * Test streams whose frames depend on frames far before them (more than 4,096 and more than
 * 10,000 frames back), one per stateful protocol: MQTT 5 topic aliases set at the start and
 * used throughout, a STOMP 1.0 CONNECTED that turns header escapes off, GraphQL ids subscribed
 * at the start and answered throughout, SignalR handshakes, and in every protocol that splits
 * (STOMP, MQTT, Socket.IO attachments, SignalR JSON and MessagePack) a message whose rest comes
 * 11,000 frames later, the other direction talking in between; plus short splits everywhere.
 * Deterministic (seeded), so a failure repeats.
 */
import mqtt from 'mqtt-packet';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import type { DecodableSession } from '../../../src-main/core/decode/store-decoding';
import type { FrameStore } from '../../../src-main/core/session/frame-store';
import { signalrHubMessage } from '../../support/signalr-hub-message';

export type Dir = WireFrame['dir'];

/** mulberry32. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One protocol message as the sender wrote it (split into WebSocket messages by the stream). */
interface Unit {
  dir: Dir;
  opcode: 'text' | 'binary';
  bytes: Buffer;
  /** Never cut (a Socket.IO or GraphQL message is one WebSocket message). */
  whole?: boolean;
  /** Further WebSocket messages that belong with it, in order (Socket.IO attachments). */
  then?: Unit[];
}

export interface FarStream {
  name: string;
  frames: WireFrame[];
  /** Frames that need state set more than 10,000 frames before them. */
  farSeqs: number[];
}

interface ProtocolSpec {
  name: string;
  setup(): Unit[];
  filler(dir: Dir, random: () => number, i: number): Unit[];
  /** A unit that needs the setup's state (`farUses`: more than the 64 frames before it can give). */
  farUse(dir: Dir, i: number): Unit;
  farUses: boolean;
  /** Whether a unit may be cut into several messages. */
  splits: boolean;
}

const text = (dir: Dir, s: string, whole = false): Unit => ({ dir, opcode: 'text', bytes: Buffer.from(s, 'utf8'), whole });

function mqttPublish(topic: string, payload: string, properties?: mqtt.IPublishPacket['properties']): Buffer {
  return mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false, ...(properties ? { properties } : {}) }, { protocolVersion: 5 });
}

const MQTT5: ProtocolSpec = {
  name: 'mqtt',
  splits: true,
  farUses: true,
  setup: () => [
    { dir: 'out', opcode: 'binary', bytes: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'far', clean: true, keepalive: 60 }, { protocolVersion: 5 }) },
    { dir: 'in', opcode: 'binary', bytes: mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, { protocolVersion: 5 }) },
    { dir: 'in', opcode: 'binary', bytes: mqttPublish('far/in', 'set', { topicAlias: 1 }) },
    { dir: 'out', opcode: 'binary', bytes: mqttPublish('far/out', 'set', { topicAlias: 1 }) },
  ],
  filler(dir, random, i) {
    const one = mqttPublish(`t/${i % 50}`, `{"n":${i}}`, random() < 0.5 ? { userProperties: { k: String(i) } } : undefined);
    if (random() < 0.15) return [{ dir, opcode: 'binary', bytes: Buffer.concat([one, mqttPublish(`t/${(i + 1) % 50}`, 'two')]) }];
    // Aliases 2–4 set and used near each other too.
    if (random() < 0.1) return [{ dir, opcode: 'binary', bytes: mqttPublish(`near/${i}`, 'x', { topicAlias: 2 + (i % 3) }) }];
    if (random() < 0.1) return [{ dir, opcode: 'binary', bytes: mqttPublish('', 'x', { topicAlias: 2 + (i % 3) }) }];
    return [{ dir, opcode: 'binary', bytes: one }];
  },
  farUse: (dir, i) => ({ dir, opcode: 'binary', bytes: mqttPublish('', `far ${i}`, { topicAlias: 1 }) }),
};

const STOMP: ProtocolSpec = {
  name: 'stomp',
  splits: true,
  farUses: true,
  // STOMP 1.0: no header escapes, so a backslash is a backslash (1.2 would refuse `\q`).
  setup: () => [text('out', 'CONNECT\naccept-version:1.0\nhost:far\n\n\0'), text('in', 'CONNECTED\nversion:1.0\n\n\0')],
  filler(dir, random, i) {
    const body = `{"n":${i}}`;
    const frame = dir === 'in' ? `MESSAGE\ndestination:/topic/t${i % 40}\nsubscription:0\nmessage-id:${i}\n\n${body}\0` : `SEND\ndestination:/queue/q${i % 40}\n\n${body}\0`;
    if (random() < 0.1) return [text(dir, '\n')];
    if (random() < 0.15) return [text(dir, `${frame}${frame}`)];
    return [text(dir, frame)];
  },
  farUse: (dir, i) => text(dir, `${dir === 'in' ? 'MESSAGE' : 'SEND'}\ndestination:/far\nnote:back\\qslash ${i}\n\n\0`),
};

const SOCKETIO: ProtocolSpec = {
  name: 'socketio',
  splits: false,
  // Nothing set at the start matters later: only the long split (a header, its attachment far after).
  farUses: false,
  setup: () => [text('in', '0{"sid":"far","upgrades":[],"pingInterval":25000,"pingTimeout":20000}', true), text('out', '40', true), text('in', '40{"sid":"s1"}', true)],
  filler(dir, random, i) {
    if (random() < 0.1) {
      const count = random() < 0.5 ? 1 : 2;
      const placeholders = Array.from({ length: count }, (_, num) => `{"_placeholder":true,"num":${num}}`).join(',');
      const attachments: Unit[] = Array.from({ length: count }, (_, num) => ({ dir, opcode: 'binary', bytes: Buffer.from([num, i & 0xff, (i >> 8) & 0xff]), whole: true }));
      return [{ ...text(dir, `45${count}-["bin${i % 7}",${placeholders}]`, true), then: attachments }];
    }
    return [text(dir, `42${i % 5 === 0 ? '/admin,' : ''}["e${i % 30}",{"n":${i}}]`, true)];
  },
  // A binary event whose attachment comes far later (the `then` is spread by the stream).
  farUse: (dir, i) => ({ ...text(dir, `451-["far",{"_placeholder":true,"num":0}]`, true), then: [{ dir, opcode: 'binary', bytes: Buffer.from(`far ${i}`), whole: true }] }),
};

const GRAPHQL: ProtocolSpec = {
  name: 'graphql-ws',
  splits: false,
  farUses: true,
  setup: () => [
    text('out', '{"type":"connection_init"}', true),
    text('in', '{"type":"connection_ack"}', true),
    text('out', '{"type":"subscribe","id":"far-1","payload":{"query":"subscription OnFar { far }"}}', true),
    text('out', '{"type":"subscribe","id":"far-2","payload":{"query":"query Later { later }"}}', true),
  ],
  filler(dir, random, i) {
    const id = `s${i % 200}`;
    if (dir === 'out' && random() < 0.3) return [text('out', `{"type":"subscribe","id":"${id}","payload":{"query":"subscription On${i % 37} { x }"}}`, true)];
    if (dir === 'in' && random() < 0.1) return [text('in', `{"type":"complete","id":"${id}"}`, true)];
    if (random() < 0.05) return [text(dir, '{"type":"ping"}', true)];
    return [text('in', `{"type":"next","id":"${id}","payload":{"data":{"x":${i}}}}`, true)];
  },
  farUse: (_dir, i) => text('in', `{"type":"next","id":"far-${1 + (i % 2)}","payload":{"data":{"far":${i}}}}`, true),
};

const SIGNALR_JSON: ProtocolSpec = {
  name: 'signalr',
  splits: true,
  // The handshake is read by the first record each way: only the long split depends on far frames.
  farUses: false,
  setup: () => [text('out', '{"protocol":"json","version":1}\u001e'), text('in', '{}\u001e')],
  filler(dir, random, i) {
    const record = `{"type":1,"target":"Send${i % 20}","arguments":["hi",${i}]${i % 3 === 0 ? `,"invocationId":"${i}"` : ''}}\u001e`;
    if (random() < 0.15) return [text(dir, `${record}{"type":6}\u001e`)];
    return [text(dir, record)];
  },
  // Read after the handshake, a record without a type is not valid; alone, it is a handshake.
  farUse: (dir, i) => text(dir, `{"error":"far ${i}"}\u001e`),
};



const SIGNALR_MSGPACK: ProtocolSpec = {
  name: 'signalr',
  splits: true,
  farUses: false,
  setup: () => [text('out', '{"protocol":"messagepack","version":1}\u001e'), text('in', '{}\u001e')],
  filler(dir, random, i) {
    const one = signalrHubMessage([1, {}, i % 3 === 0 ? String(i) : null, `Send${i % 20}`, ['hi', i]]);
    if (random() < 0.15) return [{ dir, opcode: 'binary', bytes: Buffer.concat([one, signalrHubMessage([6])]) }];
    return [{ dir, opcode: 'binary', bytes: one }];
  },
  farUse: (dir, i) => ({ dir, opcode: 'binary', bytes: signalrHubMessage([3, {}, `far${i}`, 3, `result ${i}`]) }),
};

export const FAR_SPECS: readonly ProtocolSpec[] = [MQTT5, STOMP, SOCKETIO, GRAPHQL, SIGNALR_JSON, SIGNALR_MSGPACK];

/** Cuts a unit into 1–3 messages at random places (never an empty piece). */
function cut(unit: Unit, random: () => number, pieces: number): Unit[] {
  if (unit.whole || unit.bytes.length < pieces) return [unit];
  const cuts = new Set<number>();
  while (cuts.size < pieces - 1) cuts.add(1 + Math.floor(random() * (unit.bytes.length - 1)));
  const at = [0, ...[...cuts].sort((a, b) => a - b), unit.bytes.length];
  return at.slice(1).map((end, k) => ({ dir: unit.dir, opcode: unit.opcode, bytes: unit.bytes.subarray(at[k], end) }));
}

/**
 * About `count` frames: the setup, then fillers both ways with splits, far uses every ~700
 * frames, and from frame ~5,000 one message of `in` whose rest comes after 11,000 frames of `out`.
 */
export function farStream(spec: ProtocolSpec, count: number, seed: number): FarStream {
  const random = seeded(seed);
  const frames: WireFrame[] = [];
  const farSeqs: number[] = [];
  const push = (unit: Unit): number => {
    frames.push({ seq: frames.length + 1, dir: unit.dir, opcode: unit.opcode, bytes: Uint8Array.from(unit.bytes) });
    return frames.length;
  };
  /** The direction that must stay quiet (a message of it waits for its rest). */
  let quiet: Dir | undefined;
  /** A unit's messages, the other direction's whole messages now and then between its pieces. */
  const send = (unit: Unit, i: number): number => {
    const pieces = spec.splits && random() < 0.2 ? cut(unit, random, 2 + Math.floor(random() * 2)) : [unit];
    let last = 0;
    const other = unit.dir === 'in' ? 'out' : 'in';
    for (const [k, piece] of [...pieces, ...(unit.then ?? [])].entries()) {
      if (k > 0 && other !== quiet && random() < 0.3) for (const filler of spec.filler(other, random, i)) if (!filler.then) push(filler);
      last = push(piece);
    }
    return last;
  };
  for (const unit of spec.setup()) push(unit);
  let i = 0;
  const fill = (until: number, dirs: readonly Dir[]): void => {
    while (frames.length < until) {
      i++;
      const dir = dirs[Math.floor(random() * dirs.length)] ?? 'in';
      if (i % 700 === 0) {
        const seq = send(spec.farUse(dir, i), i);
        if (seq > 10_000 && spec.farUses) farSeqs.push(seq);
        continue;
      }
      for (const unit of spec.filler(dir, random, i)) send(unit, i);
    }
  };
  fill(5_000, ['in', 'out']);
  // The long split: the first part of an `in` message (or a binary event's header), the rest after 11,000 frames of `out`.
  const long = spec.farUse('in', 1);
  const [head, ...rest] = spec.splits ? cut(long, random, 2) : [{ ...long, then: undefined }, ...(long.then ?? [])];
  if (head) push(head);
  quiet = 'in';
  fill(frames.length + 11_000, ['out']);
  quiet = undefined;
  for (const piece of rest) farSeqs.push(push(piece));
  fill(count, ['in', 'out']);
  return { name: spec.name, frames, farSeqs };
}

/** The store as a session's frames; not `scannable`: without its scan view (no raw prefilter, every frame decoded). */
export function framesOf(store: FrameStore, scannable: boolean): DecodableSession['frames'] {
  if (scannable) return store;
  return {
    entry: (seq: number) => store.entry(seq),
    get firstSeq() {
      return store.firstSeq;
    },
    get lastSeq() {
      return store.lastSeq;
    },
  };
}
