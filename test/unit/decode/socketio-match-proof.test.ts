/**
 * The Socket.IO match proof (socketio-match-proof.ts) against the decoder itself: whenever the
 * proof says a message matches, decoding it alone with a fresh decoder (socketio-decoder.ts) and
 * decoding it in order both give a valid value the query matches; and decoding a stream in order
 * with the proven messages skipped (where the walk asks: the decoder idle for the direction)
 * gives the same outcome for every other message as decoding all (the decoder's state is
 * unchanged). Streams are generated, under Engine.IO 3 and 4: events with and without
 * namespaces and ack ids, acks, binary events and their attachments (and stray ones), connects,
 * disconnects, connect errors, Engine.IO packets, malformed JSON, reserved and numeric event
 * names, escapes, non-ASCII and bad UTF-8, whitespace after ids, control frames, events with no
 * payload, acks with no id or payload, `4` alone, payloads socket.io-parser refuses.
 */
import { describe, expect, it } from 'vitest';
import { DECODED_STREAMS } from '../../../bench/decoded-streams';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { SOCKETIO_RESERVED_EVENTS, socketIoMatchProof } from '../../../src-main/core/decode/socketio-match-proof';
import { pick, seeded } from './prefilter-harness';
import { checkStream, decodeWith, emptyTally, queryOf, type ProofMessage } from './stateful-proof-harness';

type Random = (n: number) => number;

type Message = ProofMessage;

const QUERIES = [
  "$.event != 'x'",
  "$.event == 'chat'",
  "$.event == 'caf\u00e9'",
  "$.event != '\u00e9'",
  '$.event =~ /\u00c3/',
  "$.event != ''",
  "$.event == 7",
  "$.event =~ /^e/",
  "$.event >= 'e5'",
  "$.event < 'd'",
  '$.event > 3',
  '$.event',
  "$.type == 'EVENT'",
  "$.type != 'ACK'",
  "$.engineIO == 'message'",
  "$.nsp == '/'",
  "$.nsp != '/'",
  "$.nsp <= '/'",
  '$.nsp =~ /\u00c3/',
  "$.nsp != '/admin'",
  '$.nsp =~ /adm/',
  '$.nsp.x != 1',
  '$.id',
  '$.id >= 5',
  '$.id != 7',
  '$.id == 0',
  '$.id != 0',
  '$.id != 100000000000000000000',
  '$.args',
  '$.args[0]',
  '$.args[1]',
  '$.args[0].room =~ /^r/',
  "$.args[0].room == 'r1'",
  "$.args[0].room != 'r1'",
  '$.args[0].at > 1700000000005',
  '$.args[0].at <= 5',
  '$.args[0].n == 1',
  '$.args[0].n != null',
  '$.args[0].s.a == 1',
  '$.args[0].big > 5',
  "$.args[0].big == 'Infinity'",
  '$.args[0].flag',
  '$.args[0].__proto__ == 1',
  '$.args.room != 1',
  "$.args[1] == 'two'",
  '$.args[0][0] == 1',
  '$.data != 1',
  '$.data',
  '$.nothing != 1',
  '$.nothing',
  '$ != 1',
  '$',
  '$[0] != 1',
  "$.event != 'x' && $.args[0].room =~ /^r/",
  "$.type == 'EVENT' && $.nsp == '/' && $.id != 3",
  "$.event == 'chat' && $.args[0].n >= 1",
].map((text) => ({ text, query: queryOf(text) }));

const NAMES = ['chat', 'chat2', 'e1', 'e5', 'x', 'é', 'caf\u00e9', '', 'connect', 'disconnect', 'newListener', 'removeListener', 'connect_error', 'disconnecting', 'connectx', 'Connect'];
const ARGS = [
  '{"room":"r1","text":"hi","at":1700000000001}',
  '{"room":"r2","at":1700000000009,"n":1}',
  '{"room":"q","n":null}',
  '{"room":"r1","room":"q"}',
  '{"n":1,"n":2}',
  '{"s":"{\\"a\\":1}"}',
  '{"s":"{}"}',
  '{"s":" [1]"}',
  '{"big":1e400}',
  '{"big":-1e400,"flag":true}',
  '{"flag":false}',
  '{"flag":0}',
  '{"__proto__":1}',
  '{"room":"r\u00e9"}',
  '{"room":"r\\u0031"}',
  '[1,2]',
  '[]',
  '"two"',
  '12345678901234567890',
  '-0',
  '0.1e2',
  ' { "room" : "r3" } ',
  '{"room":"r1",}',
  '{"room":r1}',
  '{"a":{"b":{"c":[1,{"d":2}]}}}',
];

function eventPayload(random: Random): string {
  const first = random(15) === 0 ? pick(random, ['7', 'null', '{"a":1}', '"e\\u0031"', '"chat\\""', '"connec\\u0074"', '"disconnec\\u0074"']) : JSON.stringify(pick(random, NAMES));
  const args = Array.from({ length: random(4) }, () => pick(random, ARGS));
  const json = `[${[first, ...args].join(pick(random, [',', ',', ', ']))}]`;
  return random(20) === 0 ? pick(random, [`${json} `, ` ${json}`, json.slice(0, -1), `${json}x`, '[]', '{}', '"chat"', `${json}\n`]) : json;
}

function prefix(random: Random): string {
  const nsp = random(4) === 0 ? `${pick(random, ['/admin', '/a[b', '/caf\u00e9', '/', '/x y'])},` : random(40) === 0 ? '/admin' : '';
  const id = random(4) === 0 ? pick(random, ['7', '0', '12', '007', '1234567890123456', '12 ', '3\u00a0', ' ', '\t', ' 5', '99999999999999999999']) : '';
  return `${nsp}${id}`;
}

/** A stream of messages: events most, then acks, binary events with their attachments (or not enough), Engine.IO packets, garbage. */
function streamOf(random: Random, count: number): Message[] {
  const messages: Message[] = [];
  const v3 = random(2) === 0;
  while (messages.length < count) {
    const dir = random(3) === 0 ? 'out' : 'in';
    const shape = random(21);
    const push = (text: string): void => {
      let bytes = Buffer.from(text, 'utf8');
      if (random(25) === 0 && bytes.length > 0) {
        bytes = Buffer.from(bytes);
        bytes[random(bytes.length)] = pick(random, [0xff, 0xc3, 0x5c, 0x22, 0x2c, 0x20, 0x5b]);
      }
      messages.push({ dir, opcode: random(60) === 0 ? pick(random, ['binary', 'ping'] as const) : 'text', bytes });
    };
    if (shape < 11) {
      push(`42${prefix(random)}${eventPayload(random)}`);
    } else if (shape === 11) {
      push(`43${prefix(random)}[${pick(random, ARGS)}]`);
    } else if (shape === 12) {
      // A binary event or ack and its attachments (now and then one short, or one too many).
      const n = 1 + random(2);
      push(`4${pick(random, ['5', '5', '6'])}${n}-${prefix(random)}["e1",{"_placeholder":true,"num":0}${n > 1 ? ',{"_placeholder":true,"num":1}' : ''}]`);
      const attachments = n + (random(6) === 0 ? pick(random, [-1, 1]) : 0);
      for (let k = 0; k < attachments; k++) {
        const body = Buffer.from([1, 2, 3, random(256)]);
        messages.push({ dir, opcode: 'binary', bytes: v3 ? Buffer.concat([Buffer.from([4]), body]) : body });
      }
    } else if (shape === 13) {
      push(pick(random, ['40', '40{"sid":"x"}', '40/admin,{"token":1}', '41', '41/admin,', '44{"message":"no"}', '44"no"', '4', '47[]']));
    } else if (shape === 16) {
      // What exploratory QA found and what socket.io-parser refuses: no payload, numeric names, acks without id or payload, payloads of the wrong kind.
      push(pick(random, ['42/admin', '42/admin,', '42', '421', '42/admin,3', '42[1,2]', '42[1e3,{"room":"r1"}]', '42/admin,7[0,"two"]', '42[-1.5]', '43[5]', '43/admin,7', '43', '40"x"', '40null', '40[]', '41x', '44[1]', '42[]', '42[null]', '42[true]', '431"x"', '4x', '4 ']));
    } else if (shape === 14) {
      push(pick(random, ['0{"sid":"abc","pingInterval":25000}', '2', '3', '2probe', '3probe', '1', '5', '6', '', 'x', '8']));
    } else if (shape === 15) {
      messages.push({ dir, opcode: 'binary', bytes: Buffer.from([4, 1, 2]) });
    } else {
      push(`42${prefix(random)}${eventPayload(random)}`);
    }
  }
  return messages;
}

/** The proof's answer for a message inside a larger slab (as the store's slabs hold it). */
function provenIn(proof: NonNullable<ReturnType<typeof socketIoMatchProof>>, message: Message): boolean {
  const slab = Buffer.concat([Buffer.from('42["a",\\'), message.bytes, Buffer.from('"]\\,[42["e1"]')]);
  return proof(slab, 8, 8 + message.bytes.length, message.opcode);
}

describe('Socket.IO match proof', () => {
  it('proves only what the decoder matches, and skipping what it proves changes no other outcome', () => {
    const random = seeded(2026);
    const tally = emptyTally();
    for (let round = 0; round < 24; round++) {
      const engineVersion = round % 2 === 0 ? 4 : 3;
      checkStream(
        {
          stream: streamOf(random, 200),
          queries: QUERIES,
          makeDecoder: () => createDecoder('socketio', { engineVersion }),
          proofOf: socketIoMatchProof,
          provenIn,
          where: `EIO ${engineVersion}, round ${round}`,
        },
        tally,
      );
    }
    const { proven, matchedInOrder, provenMatched, failures } = tally;
    expect(failures.slice(0, 5)).toEqual([]);
    // Not vacuous: a good share of what matches is proven.
    expect(proven).toBeGreaterThan(20_000);
    expect(provenMatched / matchedInOrder).toBeGreaterThan(0.3);
  });

  it('proves every one of the bench’s plain events for the queries most messages match', () => {
    const messages: Message[] = [];
    DECODED_STREAMS.socketio.fill(3000, (frame) => messages.push({ dir: frame.dir, opcode: frame.opcode, bytes: frame.bytes }));
    const plain = messages.filter((message) => message.opcode === 'text' && message.bytes.toString('latin1').startsWith('42'));
    expect(plain.length).toBeGreaterThan(2800);
    for (const text of ["$.event != 'x'", "$.type == 'EVENT'", '$.args[0].room =~ /^r/', "$.event != 'x' && $.args[0].at > 1700000000000"]) {
      const proof = socketIoMatchProof(queryOf(text));
      expect(proof, text).toBeDefined();
      if (!proof) continue;
      expect(plain.filter((message) => provenIn(proof, message)).length, text).toBe(plain.length);
      // Binary headers, attachments and the open packet are not proven.
      expect(messages.filter((message) => provenIn(proof, message)).length, text).toBe(plain.length);
    }
  });

  it('answers false where the decoder says invalid or keeps something, and offers no proof where none can be', () => {
    const proof = socketIoMatchProof(queryOf("$.event != 'x'"));
    if (!proof) throw new Error('no proof');
    const says = (message: string | Buffer, opcode: WireFrame['opcode'] = 'text'): boolean => provenIn(proof, { dir: 'in', opcode, bytes: Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8') });
    expect(says('42["chat",1]')).toBe(true);
    expect(says('42/admin,["chat"]')).toBe(true);
    expect(says('4212["chat"]')).toBe(true);
    expect(says('42/admin,12["chat"] ')).toBe(true);
    expect(says('42["caf\u00e9"]')).toBe(true);
    expect(says('42["chat",1]', 'binary')).toBe(false);
    expect(says('42["x"]')).toBe(false);
    expect(says('42[7]')).toBe(false);
    expect(says('42[]')).toBe(false);
    expect(says('42{}')).toBe(false);
    expect(says('42')).toBe(false);
    expect(says('42/admin')).toBe(false);
    expect(says('42[1,2]')).toBe(false);
    expect(says('421')).toBe(false);
    expect(says('4')).toBe(false);
    expect(says('42 ["chat"]')).toBe(false);
    expect(says('4212 ["chat"]')).toBe(false);
    expect(says('421234567890123456["chat"]')).toBe(false);
    expect(says('42/caf\u00e9,["chat"]')).toBe(false);
    expect(says('42["chat"')).toBe(false);
    expect(says('42["chat"]x')).toBe(false);
    expect(says('42["ch\\u0061t"]')).toBe(false);
    // A backslash past the name: valid JSON holds it only in a string, which the follower does not read.
    expect(says('42["chat","a\\"b"]')).toBe(true);
    expect(says('42["chat","a\\"b"')).toBe(false);
    const args = socketIoMatchProof(queryOf("$.args[0] != 'x'"));
    expect(args && provenIn(args, { dir: 'in', opcode: 'text', bytes: Buffer.from('42["chat","a\\"b"]') })).toBe(false);
    expect(args && provenIn(args, { dir: 'in', opcode: 'text', bytes: Buffer.from('42["chat","ab","\\n"]') })).toBe(true);
    // The first clause into the array is followed in the checking pass, exact past an escape it
    // steps over; a second one is followed by json-path-follow.ts, which is not.
    const second = socketIoMatchProof(queryOf("$.args[1] == 'b'"));
    expect(second && provenIn(second, { dir: 'in', opcode: 'text', bytes: Buffer.from('42["chat","a\\"b","b"]') })).toBe(true);
    expect(second && provenIn(second, { dir: 'in', opcode: 'text', bytes: Buffer.from('42["chat","a\\"b","b"') })).toBe(false);
    expect(second && provenIn(second, { dir: 'in', opcode: 'text', bytes: Buffer.from('42["chat",{"\\u0061":1},"b"]') })).toBe(true);
    const both = socketIoMatchProof(queryOf("$.args[1] == 'b' && $.args[2] == 'c'"));
    expect(both && provenIn(both, { dir: 'in', opcode: 'text', bytes: Buffer.from('42["chat","ab","b","c"]') })).toBe(true);
    expect(both && provenIn(both, { dir: 'in', opcode: 'text', bytes: Buffer.from('42["chat","a\\"b","b","c"]') })).toBe(false);
    expect(says(Buffer.from([0x34, 0x32, 0x5b, 0x22, 0xff, 0x22, 0x5d]))).toBe(false);
    expect(says('43["chat"]')).toBe(false);
    expect(says('451-["chat",{"_placeholder":true,"num":0}]')).toBe(false);
    expect(says('40')).toBe(false);
    expect(says('2')).toBe(false);
    for (const name of SOCKETIO_RESERVED_EVENTS) expect(says(`42["${name}"]`), name).toBe(false);
    // Queries no message can be proven for.
    expect(socketIoMatchProof(queryOf('$.args[*] == 1'))).toBeUndefined();
    expect(socketIoMatchProof(queryOf("$.data == 'x'"))).toBeUndefined();
    expect(socketIoMatchProof(queryOf('$.nothing'))).toBeUndefined();
    expect(socketIoMatchProof(queryOf('$.nothing != 1'))).toBeDefined();
  });

  it('names the reserved events socket.io-parser refuses', () => {
    for (const name of [...SOCKETIO_RESERVED_EVENTS, 'chat']) {
      const outcome = decodeWith(createDecoder('socketio'), { dir: 'in', opcode: 'text', bytes: Buffer.from(`42["${name}"]`) }, 0);
      expect(outcome?.kind === 'invalid', name).toBe(name !== 'chat');
    }
  });

  it('never throws on random bytes, cut messages or odd opcodes', () => {
    const random = seeded(99);
    const proofs = QUERIES.map(({ query }) => socketIoMatchProof(query)).filter((proof) => proof !== undefined);
    let calls = 0;
    for (let i = 0; i < 3000; i++) {
      let bytes = Buffer.from(`42${prefix(random)}${eventPayload(random)}`, 'utf8');
      if (random(2) === 0) bytes = bytes.subarray(0, random(bytes.length + 1));
      if (random(3) === 0) bytes = Buffer.from(Array.from({ length: random(40) }, () => pick(random, [0x34, 0x32, 0x2f, 0x2c, 0x5b, 0x5d, 0x22, 0x5c, 0x7b, 0x30, 0xff, 0x20, random(256)])));
      const start = random(3);
      const slab = Buffer.concat([Buffer.alloc(start, 0x34), bytes]);
      // A throw fails the test; no expect a call.
      for (const proof of proofs) {
        proof(slab, start, slab.length, pick(random, ['text', 'binary', 'ping', 'close', '']));
        proof(slab, slab.length, slab.length, 'text');
        calls += 2;
      }
    }
    expect(calls).toBe(3000 * 2 * proofs.length);
  });
});
