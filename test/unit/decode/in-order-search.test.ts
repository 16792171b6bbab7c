/**
 * Searches no prefilter helps (a JSONPath query, a conversation) and the detail pane, on streams
 * whose frames need the frames before them (GraphQL results named by their subscribe, MQTT 5
 * topic aliases and a packet spanning two messages, Socket.IO binary events and their
 * attachments; STOMP SUBSCRIBEs and UNSUBSCRIBEs with receipts, in two conversations, and frames
 * split across messages), larger than the decode cache: every answer must equal decoding every frame in
 * order, forward and backward, from any frame, whatever the cache walked before.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import type { DecodedFilter } from '../../../src-main/shared/decoding';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { conversationOf } from '../../../src-main/core/decode/conversation-of';
import { memberships } from '../../../src-main/shared/conversation-membership';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { DecodeOutcome, DecoderName } from '../../../src-main/core/decode/decoded-frame';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { FrameStore } from '../../../src-main/core/session/frame-store';

const CACHE_ENTRIES = 100;

interface Message {
  dir: 'in' | 'out';
  opcode: 'text' | 'binary';
  bytes: Buffer;
}
const text = (dir: 'in' | 'out', s: string): Message => ({ dir, opcode: 'text', bytes: Buffer.from(s) });
const binary = (dir: 'in' | 'out', bytes: Buffer): Message => ({ dir, opcode: 'binary', bytes });

/** Results named after subscribes far behind them; ids completed and reused for another operation. */
function graphqlStream(): Message[] {
  const out: Message[] = [text('out', '{"type":"connection_init"}'), text('in', '{"type":"connection_ack"}')];
  const names = new Map<number, string>();
  const subscribe = (id: number, round: number): void => {
    const name = `OnPrice${(id + round) % 7}`;
    names.set(id, name);
    out.push(text('out', `{"id":"${id}","type":"subscribe","payload":{"query":"subscription ${name} { p }"}}`));
  };
  for (let id = 1; id <= 12; id++) subscribe(id, 0);
  for (let i = 0; i < 2400; i++) {
    const id = 1 + ((i * 7) % 12);
    if (i % 500 === 499) {
      out.push(text('out', `{"id":"${id}","type":"complete"}`));
      subscribe(id, i);
    } else out.push(text('in', `{"id":"${id}","type":"next","payload":{"data":{"p":${i}}}}`));
  }
  return out;
}

/** MQTT 5: aliases set once and used with an empty topic (remapped now and then), QoS 1 ids and acks, a PUBLISH split in two messages. */
function mqtt5Stream(): Message[] {
  const opts = { protocolVersion: 5 } as const;
  const gen = (packet: object): Buffer => mqtt.generate(packet as mqtt.Packet, opts);
  const out: Message[] = [binary('out', gen({ cmd: 'connect', clientId: 'c', protocolVersion: 5, protocolId: 'MQTT', clean: true, keepalive: 0 }))];
  const publish = (topic: string, alias: number, i: number): Buffer =>
    gen({ cmd: 'publish', topic, payload: Buffer.from(`v${i}`), qos: i % 3 === 0 ? 1 : 0, ...(i % 3 === 0 ? { messageId: 1 + (i % 50) } : {}), retain: false, dup: false, properties: { topicAlias: alias } });
  for (let i = 0; i < 2400; i++) {
    const alias = 1 + (i % 5);
    const topic = `sensors/${(alias + Math.floor(i / 600)) % 6}`;
    // An alias is (re)set on its first use in each stretch of 600, then used alone.
    const packet = publish(i % 600 < 5 ? topic : '', alias, i);
    if (i % 401 === 200) {
      out.push(binary('out', packet.subarray(0, 3)), binary('out', packet.subarray(3)));
    } else out.push(binary('out', packet));
    if (i % 3 === 0) out.push(binary('in', gen({ cmd: 'puback', messageId: 1 + (i % 50) })));
  }
  return out;
}

/**
 * MQTT 3.1.1 whose client sends packets before its CONNECT (the server would close the
 * connection: each says so), then CONNECTs, and later CONNECTs a second time (said too): the
 * notes are in summaries only, and rows decoded from a search walk's checkpoints say them as
 * decoding in order does.
 */
function mqtt4Stream(): Message[] {
  const opts = { protocolVersion: 4 } as const;
  const gen = (packet: object): Buffer => mqtt.generate(packet as mqtt.Packet, opts);
  const connect = gen({ cmd: 'connect', clientId: 'c', protocolVersion: 4, protocolId: 'MQTT', clean: true, keepalive: 0 });
  const out: Message[] = [];
  for (let i = 0; i < 2400; i++) {
    if (i === 1400 || i === 2000) out.push(binary('out', connect), binary('in', gen({ cmd: 'connack', returnCode: 0, sessionPresent: false })));
    const qos = i % 3 === 0 ? 1 : 0;
    const id = 1 + (i % 50);
    if (i % 7 === 3) out.push(binary('out', gen({ cmd: 'subscribe', messageId: id, subscriptions: [{ topic: `sensors/${i % 5}`, qos: 0 }] })), binary('in', gen({ cmd: 'suback', messageId: id, granted: [0] })));
    else out.push(binary('out', gen({ cmd: 'publish', topic: `sensors/${i % 5}`, payload: Buffer.from(`v${i}`), qos, ...(qos ? { messageId: id } : {}), retain: false, dup: false })));
    if (qos && i % 7 !== 3) out.push(binary('in', gen({ cmd: 'puback', messageId: id })));
  }
  return out;
}

/**
 * Socket.IO: events on / and /admin, ack ids and their ACKs, binary events whose attachment comes
 * in the next message; emits answered by binary acks (one or two attachments) and binary events
 * with ack ids (two attachments, a message the other way between them) answered by ACKs: their
 * headers and attachments are in the ack's conversation.
 */
function socketioStream(): Message[] {
  const out: Message[] = [text('in', '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'), text('out', '40/admin,')];
  const placeholders = (n: number): string => Array.from({ length: n }, (_, k) => `{"_placeholder":true,"num":${k}}`).join(',');
  for (let i = 0; i < 2400; i++) {
    const nsp = i % 2 === 0 ? '/admin,' : '';
    const event = ['chat', 'move', 'up'][i % 3] ?? 'chat';
    if (i % 8 === 3) {
      const parts = 1 + (i % 16 === 3 ? 1 : 0);
      out.push(text('out', `42${i % 40}["file"]`), text('in', `46${parts}-${i % 40}[${placeholders(parts)}]`));
      for (let k = 0; k < parts; k++) out.push(binary('in', Buffer.from([k, i & 0xff])));
    } else if (i % 8 === 7) {
      out.push(text('out', `452-${i % 40}["up",${placeholders(2)}]`), binary('out', Buffer.from([1])), text('in', `42["${event}",${i}]`), binary('out', Buffer.from([2, 2])), text('in', `43${i % 40}["ok"]`));
    } else if (i % 4 === 1) {
      out.push(text('in', `451-${nsp}["${event}",{"_placeholder":true,"num":0}]`), binary('in', Buffer.from([i & 0xff, 1, 2])));
    } else if (i % 4 === 2) {
      out.push(text('out', `42${nsp}${i % 40}["${event}","ask"]`), text('in', `43${nsp}${i % 40}["ok"]`));
    } else out.push(text('in', `42${nsp}["${event}",${i}]`));
  }
  return out;
}

/**
 * STOMP: SUBSCRIBEs and UNSUBSCRIBEs with receipts (each in two conversations), subscription ids
 * reused across rounds, receipt ids equal to subscription ids (a SEND's receipt "3" beside
 * subscription 3), MESSAGEs carrying a copied receipt header, and frames (a SUBSCRIBE with its
 * receipt, a MESSAGE) split across two WebSocket messages.
 */
function stompStream(): Message[] {
  const out: Message[] = [text('out', 'CONNECT\naccept-version:1.2\nhost:h\n\n\0'), text('in', 'CONNECTED\nversion:1.2\n\n\0')];
  const split = (dir: 'in' | 'out', frame: string, at: number): void => {
    out.push(text(dir, frame.slice(0, at)), text(dir, frame.slice(at)));
  };
  for (let round = 0; round < 6; round++) {
    for (let id = 1; id <= 4; id++) {
      // Receipt ids: the subscription's own id in odd rounds (subscription 3 asks receipt 3), else r<round>-<id>.
      const receipt = round % 2 === 1 ? String(id) : `r${round}-${id}`;
      const subscribe = `SUBSCRIBE\nid:${id}\ndestination:/topic/${id}\nreceipt:${receipt}\n\n\0`;
      if (id === 3 && round % 3 === 0) split('out', subscribe, 12);
      else out.push(text('out', subscribe));
      out.push(text('in', `RECEIPT\nreceipt-id:${receipt}\n\n\0`));
    }
    for (let i = 0; i < 90; i++) {
      const id = 1 + (i % 4);
      const copied = i % 11 === 0 ? `receipt:${id}\n` : '';
      const message = `MESSAGE\nsubscription:${id}\nmessage-id:${round}-${i}\ndestination:/topic/${id}\n${copied}\n{"n":${i}}\0`;
      if (i % 29 === 7) split('in', message, 20);
      else out.push(text('in', message));
      // A SEND whose receipt is a subscription's id: in the receipt's conversation alone.
      if (i % 17 === 3) out.push(text('out', `SEND\ndestination:/queue/x\nreceipt:${id}\n\nhi\0`), text('in', `RECEIPT\nreceipt-id:${id}\n\n\0`));
    }
    for (let id = 1; id <= 4; id++) {
      const receipt = `u${round}-${id}`;
      out.push(text('out', `UNSUBSCRIBE\nid:${id}\nreceipt:${receipt}\n\n\0`));
      // A MESSAGE already on its way when the UNSUBSCRIBE went.
      if (id === 2) out.push(text('in', `MESSAGE\nsubscription:2\nmessage-id:late-${round}\ndestination:/topic/2\n\nlate\0`));
      out.push(text('in', `RECEIPT\nreceipt-id:${receipt}\n\n\0`));
    }
  }
  return out;
}

interface Case {
  name: string;
  choice: DecoderName;
  url: string;
  messages: Message[];
  filters: DecodedFilter[];
  /** Conversations whose frames include partial ones (a binary packet's header and attachments before its last). */
  followsParts?: string[];
}

const CASES: Case[] = [
  {
    name: 'GraphQL over WebSocket',
    choice: 'graphql-ws',
    url: 'ws://h/graphql',
    messages: graphqlStream(),
    filters: [{ query: "$.operation.name == 'OnPrice3'" }, { query: "$.type == 'next'", operation: 'OnPrice5' }, { conversation: 'graphql operation 4' }],
  },
  {
    name: 'MQTT 5 (topic aliases)',
    choice: 'mqtt',
    url: 'ws://h/mqtt',
    messages: mqtt5Stream(),
    filters: [{ query: "$.topic == 'sensors/2'" }, { query: '$.topicFromAlias', topic: 'sensors/4' }, { conversation: 'mqtt id 7 ↑' }],
  },
  {
    name: 'MQTT 3.1.1 (packets before the CONNECT, a second CONNECT)',
    choice: 'mqtt',
    url: 'ws://h/mqtt',
    messages: mqtt4Stream(),
    filters: [{ query: "$.cmd == 'publish'" }, { query: "$.topic == 'sensors/2'" }, { query: "$.cmd == 'publish' && $.qos == 1", topic: 'sensors/1' }, { conversation: 'mqtt id 7 ↑' }],
  },
  {
    name: 'Socket.IO (binary events)',
    choice: 'socketio',
    url: 'ws://h/socket.io/?EIO=4&transport=websocket',
    messages: socketioStream(),
    filters: [
      { query: "$.nsp == '/admin'" },
      { query: "$.event == 'chat'" },
      { query: "$.type == 'EVENT' && $.args[0].length == 3" },
      { conversation: 'socketio /admin ack 6 ↑' },
      { conversation: 'socketio / ack 11 ↑' },
      { conversation: 'socketio / ack 15 ↑' },
      { query: '$.binaryHeader', conversation: 'socketio / ack 3 ↑' },
      { query: '$.attachment == 1', conversation: 'socketio / ack 15 ↑' },
      { query: "$.type == 'ACK'", conversation: 'socketio / ack 3 ↑' },
    ],
    // Binary acks and binary events with ack ids: their headers and attachments are followed too.
    followsParts: ['socketio / ack 11 ↑', 'socketio / ack 15 ↑'],
  },
  {
    name: 'STOMP (SUBSCRIBE and UNSUBSCRIBE with receipts, split frames)',
    choice: 'stomp',
    url: 'ws://h/ws',
    messages: [...stompStream(), ...stompStream(), ...stompStream()],
    filters: [
      { conversation: 'stomp subscription 3' },
      { conversation: 'stomp receipt 3' },
      { conversation: 'stomp subscription 2' },
      { conversation: 'stomp receipt u2-2' },
      { query: "$.command == 'SUBSCRIBE'", conversation: 'stomp subscription 3' },
      { destination: '/topic/3', conversation: 'stomp subscription 3' },
    ],
  },
];

/** What decoding every frame in order says, by seq (seqs from 1). */
function decodeAll(c: Case): (DecodeOutcome | undefined)[] {
  const decoder = createDecoder(c.choice, c.choice === 'socketio' ? { engineVersion: 4 } : {});
  return [undefined, ...c.messages.map((m, i) => decoder.decode({ seq: i + 1, dir: m.dir, opcode: m.opcode, bytes: new Uint8Array(m.bytes) }))];
}

/** The filter's matches by that reference, written out here (not through the engine's predicate). */
function expectedMatches(c: Case, all: (DecodeOutcome | undefined)[], filter: DecodedFilter): number[] {
  const parsed = filter.query !== undefined ? parseDecodedQuery(filter.query) : undefined;
  if (parsed && !parsed.ok) throw new Error(parsed.error);
  const seqs: number[] = [];
  all.forEach((outcome, seq) => {
    if (!outcome || outcome.kind === 'invalid') return;
    const value = outcome.value as Record<string, unknown>;
    if (parsed?.ok && !matchesDecodedQuery(parsed.query, value)) return;
    if (filter.operation !== undefined && (value.operation as { name?: string } | undefined)?.name !== filter.operation) return;
    if (filter.topic !== undefined && value.topic !== filter.topic) return;
    if (filter.destination !== undefined && (value.headers as { destination?: string } | undefined)?.destination !== filter.destination) return;
    // Either of the frame's conversations (a SUBSCRIBE with a receipt is in two).
    if (filter.conversation !== undefined && !memberships(conversationOf(outcome, c.messages[seq - 1]?.dir ?? 'in')).some((m) => m.key === filter.conversation)) return;
    seqs.push(seq);
  });
  return seqs;
}

function sessionOf(c: Case): { store: FrameStore; session: Parameters<DecodeCommands['predicate']>[0] } {
  const store = new FrameStore();
  for (const m of c.messages) store.push(m.dir, m.opcode, m.bytes);
  return { store, session: { id: c.name, url: c.url, frames: store, handshakeSteps: () => [] } };
}

function decodingOf(c: Case, session: Parameters<DecodeCommands['predicate']>[0]): DecodeCommands {
  const decodes = new DecodeCommands(CACHE_ENTRIES);
  const state = decodes.state(session, { sessionId: session.id, choice: c.choice });
  if (!state.ok) throw new Error(state.error.message);
  return decodes;
}

async function search(store: FrameStore, decodes: DecodeCommands, session: Parameters<DecodeCommands['predicate']>[0], filter: DecodedFilter, fromSeq: number, backward: boolean): Promise<number[]> {
  const decoded = decodes.predicate(session, filter);
  if (!decoded.ok) throw new Error(decoded.error.message);
  const compiled = compileFilter({});
  if (!compiled.ok) throw new Error(compiled.problem.message);
  compiled.filter.decoded = decoded.value;
  const found: number[] = [];
  let next: number | null = fromSeq;
  // Paged as the app pages, 250 a page, each page a new predicate.
  while (next !== null) {
    const page = await searchFrames(store, compiled.filter, { searchId: 's', limit: 250, fromSeq: next, backward }, { cancelled: () => false, maxDurationMs: 600_000 });
    found.push(...page.matches.map((m) => m.seq));
    next = page.nextSeq;
    const again = decodes.predicate(session, filter);
    if (!again.ok) throw new Error(again.error.message);
    compiled.filter.decoded = again.value;
  }
  return found;
}

describe.each(CASES)('$name: searches and the detail pane agree with decoding every frame in order', (c) => {
  const all = decodeAll(c);
  const last = c.messages.length;
  const middle = Math.floor(last / 2);

  it('the stream is larger than the cache and has frames that need earlier ones', () => {
    expect(last).toBeGreaterThan(CACHE_ENTRIES * 20);
    for (const filter of c.filters) expect(expectedMatches(c, all, filter).length).toBeGreaterThan(5);
    for (const conversation of c.followsParts ?? []) {
      const kinds = expectedMatches(c, all, { conversation }).map((seq) => all[seq]?.kind);
      expect(kinds.filter((kind) => kind === 'partial').length, conversation).toBeGreaterThan(5);
    }
  });

  it.each([
    ['forward from the first frame', 1, false],
    ['backward from the newest frame', last, true],
    ['forward from the middle', middle, false],
    ['backward from the middle', middle, true],
  ] as const)('each filter, %s, on a decoding whose cache walked to the end first', async (_name, from, backward) => {
    const { store, session } = sessionOf(c);
    const decodes = decodingOf(c, session);
    // The rows in view were the newest: the cache's walk is past every frame searched.
    expect(decodes.decode(session, { sessionId: session.id, seqs: [last], values: false }).ok).toBe(true);
    for (const filter of c.filters) {
      const expected = expectedMatches(c, all, filter).filter((seq) => (backward ? seq <= from : seq >= from));
      if (backward) expected.reverse();
      expect(await search(store, decodes, session, filter, from, backward), JSON.stringify(filter)).toEqual(expected);
    }
    store.release();
  });

  it('each filter backward first on a fresh decoding, then forward, on the same walk', async () => {
    const { store, session } = sessionOf(c);
    const decodes = decodingOf(c, session);
    for (const filter of c.filters) {
      const expected = expectedMatches(c, all, filter);
      expect(await search(store, decodes, session, filter, last, true)).toEqual([...expected].reverse());
      expect(await search(store, decodes, session, filter, 1, false)).toEqual(expected);
    }
    store.release();
  });

  it('a backward search walks to its first frame in slices, polling for cancellation between them', async () => {
    const { store, session } = sessionOf(c);
    const decodes = decodingOf(c, session);
    const filter = c.filters[0] ?? {};
    const decoded = decodes.predicate(session, filter);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const compiled = compileFilter({});
    if (!compiled.ok) throw new Error(compiled.problem.message);
    compiled.filter.decoded = decoded.value;
    let polls = 0;
    // sliceMs 0: one stretch of the walk a slice; cancelled at the second poll, before the walk is there.
    const cancelled = await searchFrames(store, compiled.filter, { searchId: 's', limit: 10, backward: true }, { cancelled: () => ++polls >= 2, sliceMs: 0 });
    expect(cancelled).toMatchObject({ cancelled: true, matches: [], scanned: 0 });
    // The walk goes on from where it stopped.
    const expected = expectedMatches(c, all, filter).reverse();
    expect(await search(store, decodes, session, filter, last, true)).toEqual(expected);
    store.release();
  });

  it("rows decoded after the searches (from their walks' checkpoints) say what decoding in order says", async () => {
    const { store, session } = sessionOf(c);
    const decodes = decodingOf(c, session);
    for (const filter of c.filters) await search(store, decodes, session, filter, last, true);
    const seqs = Array.from({ length: Math.floor(last / 23) }, (_, k) => last - k * 23);
    for (const seq of seqs) {
      const answer = decodes.decode(session, { sessionId: session.id, seqs: [seq], values: false });
      if (!answer.ok) throw new Error(answer.error.message);
      expect(answer.value.frames[0]?.summary, String(seq)).toBe(all[seq]?.summary);
    }
    store.release();
  });

  it('the detail pane: a frame behind the walk whose answer was dropped decodes with the frames before it', () => {
    const { store, session } = sessionOf(c);
    const decodes = decodingOf(c, session);
    expect(decodes.decode(session, { sessionId: session.id, seqs: [last], values: true }).ok).toBe(true);
    for (const seq of [3, 250, middle, middle + 1, last - CACHE_ENTRIES * 3]) {
      const answer = decodes.decode(session, { sessionId: session.id, seqs: [seq], values: true });
      if (!answer.ok) throw new Error(answer.error.message);
      const reference = all[seq];
      expect(answer.value.frames[0]).toMatchObject({ seq, kind: reference?.kind, summary: reference?.summary });
    }
    store.release();
  });
});
