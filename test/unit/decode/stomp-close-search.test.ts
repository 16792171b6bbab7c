/**
 * A close frame in a direction with a STOMP frame under way is 'not valid STOMP: a close frame,
 * which cuts short …' (stomp-decoder.ts) and must change nothing in the decoder: the prefilters,
 * the probe and the match proof pass over a control frame unread while its direction is idle.
 * Generated streams (frames split anywhere, several to a message, heart-beats, CONNECTED 1.0 and
 * 1.2, escaped header values) with closes put in at random, both ways and often mid-frame: every
 * search counts what decoding every frame in order counts, and the proof's walk finds what that
 * decoding finds. A close that changed the decoder
 * while idle (tried: flipping the escapes) makes both fail. A close that reset the kept bytes
 * does not: the walks decode a close in a direction that is not idle, as decoding every frame
 * does, so only what the decoder answers shows it (stomp-decoder.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { stompMatchProof } from '../../../src-main/core/decode/stomp-match-proof';
import { compareSearches, pick, seeded, type Message } from './prefilter-harness';
import { queryOf, walkRoundsOverStore, type ProofMessage } from './stateful-proof-harness';
import { stompStream } from './stomp-stream';

type Random = (n: number) => number;

const QUERIES = [
  "$.command == 'MESSAGE'",
  "$.command != 'SEND'",
  "$.headers.destination == '/topic/p1'",
  "$.headers.destination =~ /^\\/topic\\//",
  "$.headers['x-id'] =~ /^ch/",
  "$.headers['x-id'] != 'chat'",
  "$.headers['x-id'] == 'ch:at'",
  "$.headers['content-length'] > 3",
  '$.body =~ /at/',
  "$.body == ''",
  '$.nothing != 1',
  '$.continues == true',
];

function frame(random: Random): string {
  const command = pick(random, ['MESSAGE', 'MESSAGE', 'SEND', 'RECEIPT']);
  const eol = random(5) === 0 ? '\r\n' : '\n';
  const body = pick(random, ['', 'chat', 'what', '{"a":1}', 'x'.repeat(1 + random(40))]);
  const headers = [`destination:${pick(random, ['/topic/p1', '/topic/p2', '/queue/q'])}`, `x-id:${pick(random, ['chat', 'chart', 'a', 'ch\\cat', 'a\\\\b'])}`];
  if (random(3) === 0) headers.push(`content-length:${Buffer.byteLength(body)}`);
  return `${command}${eol}${headers.map((h) => h + eol).join('')}${eol}${body}\u0000`;
}

/**
 * A generated stream with closes put in: after one message in two that does not end with a NUL
 * (often mid-frame), in its direction; after one in six of the others, either way.
 */
function withCloses(random: Random, messages: readonly Message[]): ProofMessage[] {
  const out: ProofMessage[] = [];
  const close = (dir: Message['dir']): ProofMessage => ({ dir, opcode: 'close', bytes: Buffer.from([0x03, 0xe8]) });
  for (const message of messages) {
    out.push(message);
    if (message.bytes[message.bytes.length - 1] !== 0 && random(2) === 0) out.push(close(message.dir));
    else if (random(6) === 0) out.push(close(pick(random, ['in', 'out'] as const)));
  }
  return out;
}

describe('STOMP: closes mid-frame leave every search exact', () => {
  it('the searches (prefilters, probe, proof) count what decoding every frame in order counts', () => {
    const random = seeded(1406);
    let cutShort = 0;
    let matched = 0;
    for (let round = 0; round < 20; round++) {
      const stream = withCloses(random, stompStream(random, frame));
      const decoder = createDecoder('stomp', {});
      for (const [seq, message] of stream.entries()) {
        if (decoder.decode({ seq, ...message })?.summary.includes('a close frame, which cuts short') === true) cutShort++;
      }
      // The harness's type names the data opcodes and ping; its store takes a close as any other frame.
      // Live, and once the session ended (a direction left mid-frame without a close: the rest never came).
      const search = (ended: boolean): ReturnType<typeof compareSearches> =>
        compareSearches(stream as unknown as Message[], 'stomp', 'ws://h/stomp', () => createDecoder('stomp', {}), QUERIES.map((query) => ({ query })), undefined, undefined, ended);
      const results = search(false);
      for (const { label, expected, got } of [...results, ...search(true).map((r) => ({ ...r, label: `ended: ${r.label}` }))]) expect(got, `round ${round} ${label}`).toEqual(expected);
      matched += results.filter(({ expected }) => expected.length > 0).length;
    }
    // Not vacuous: many closes cut a frame short, and most queries match something.
    expect(cutShort).toBeGreaterThan(60);
    expect(matched).toBeGreaterThan(20 * 4 * 6);
  });

  it("the match proof's walk finds what decoding every frame in order finds", () => {
    const random = seeded(1407);
    const texts = QUERIES.filter((text) => stompMatchProof(queryOf(text)) !== undefined);
    expect(texts.length).toBeGreaterThan(4);
    // Asked only while the decoder is idle for the direction, as the app asks it (STOMP is not in PROOFS_IN_ANY_STATE).
    const { differences, decoded, frames } = walkRoundsOverStore(10, () => withCloses(random, stompStream(random, frame)), () => createDecoder('stomp', {}), 'stomp', texts, stompMatchProof, false);
    expect(differences).toEqual([]);
    // The walk passed over some frames (the proof or the prefilter vouched for them).
    expect(decoded).toBeLessThan(frames);
  });
});
