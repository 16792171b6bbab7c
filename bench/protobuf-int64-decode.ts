/**
 * CPU a message to decode (and mark) a Protocol Buffers type with 64-bit fields: singular
 * int64/uint64/sint64/fixed64, a repeated int64, a map of them, nested and repeated messages
 * holding them (int64-digits.ts's marks). Best of ROUNDS runs of MESSAGES decodes.
 * `tick`: a small type instead (an int64 timestamp, a uint64 sequence number, a string, a double).
 * `json`: each value then JSON.stringify'd too (what a mark's change of the value's shape slows after).
 * Run: npx tsx bench/protobuf-int64-decode.ts [messages] [rounds] [event|tick] [json]
 */
import protobuf from 'protobufjs';
import { loadProtobufSchema } from '../src-main/core/decode/protobuf-schema';

const MESSAGES = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const JSON_TOO = process.argv[5] === 'json';
const TYPE = process.argv[4] === 'tick' ? 'Tick' : 'Event';

const PROTO = `syntax = "proto3";
message Tick { int64 ts = 1; string symbol = 2; double price = 3; uint64 seq = 4; }
message Point { int64 at = 1; sint64 delta = 2; string label = 3; }
message Event {
  int64 id = 1; uint64 ts = 2; sint64 offset = 3; fixed64 hash = 4; string name = 5; int32 kind = 6;
  repeated int64 ids = 7; map<string, uint64> counts = 8; Point origin = 9; repeated Point points = 10;
}`;

const loaded = loadProtobufSchema({ protoText: PROTO }, TYPE);
if ('problem' in loaded) throw new Error(loaded.problem);
const { schema } = loaded;
const root = protobuf.parse(PROTO).root;
const Event = root.lookupType('Event');

// 64 distinct messages, values past 2^53 in some.
const frames: Uint8Array[] = [];
const Tick = root.lookupType('Tick');
for (let i = 0; i < 64 && TYPE === 'Tick'; i += 1) {
  frames.push(Tick.encode(Tick.fromObject({ ts: `${1_700_000_000_000 + i}`, symbol: `S${i % 8}`, price: 100 + i / 8, seq: `${i}` })).finish());
}
for (let i = 0; i < 64 && TYPE === 'Event'; i += 1) {
  frames.push(
    Event.encode(
      Event.fromObject({
        id: `${1_700_000_000_000 + i}`,
        ts: i % 4 === 0 ? '18446744073709551615' : `${1_700_000_000_000_000 + i}`,
        offset: `${-i * 1000}`,
        hash: `${9_007_199_254_740_993n + BigInt(i)}`,
        name: `event-${i}`,
        kind: i % 7,
        ids: [`${i}`, `${i * 3}`, '9223372036854775807'],
        counts: { a: `${i}`, b: '12345678901234' },
        origin: { at: `${i * 11}`, delta: '-5', label: 'o' },
        points: [{ at: '1', delta: '2', label: 'p' }, { at: `${i}`, delta: '-3', label: 'q' }],
      }),
    ).finish(),
  );
}

let sink = 0;
let best = Number.POSITIVE_INFINITY;
for (let round = 0; round < ROUNDS; round += 1) {
  const start = process.cpuUsage();
  for (let n = 0; n < MESSAGES; n += 1) {
    const out = schema.decode(frames[n & 63] ?? new Uint8Array());
    if ('value' in out) sink += JSON_TOO ? Math.sign(JSON.stringify(out.value).length) : 1;
  }
  const used = process.cpuUsage(start);
  best = Math.min(best, (used.user + used.system) / MESSAGES);
}
if (sink !== MESSAGES * ROUNDS) throw new Error(`decoded ${sink} of ${MESSAGES * ROUNDS}`);
console.log(`${TYPE}${JSON_TOO ? '+json' : ''}: best of ${ROUNDS}: ${best.toFixed(3)} us CPU a message (${MESSAGES} messages)`);
