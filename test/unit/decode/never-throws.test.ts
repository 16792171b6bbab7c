/**
 * Whatever arrives, a decoder answers (decoded, partial or "not valid …") and never throws: a
 * seeded stream of random messages, and random cuts of valid ones, through every decoder.
 */
import { describe, expect, it } from 'vitest';
import { DECODER_NAMES, type WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';

/** A small deterministic generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'CONNECT\naccept-version:1.2\n\n\u0000',
  'MESSAGE\ndestination:/a\\c\ncontent-length:3\n\nabc\u0000',
  '451-/x,["e",{"_placeholder":true,"num":0}]',
  '0{"sid":"a","pingInterval":1}',
  '42/admin,12["chat",{"a":[1,2]}]',
  '{"id":"3","type":"subscribe","payload":{"query":"subscription { a }"}}',
  '{"type":1,"invocationId":"0","target":"Send","arguments":[1]}\u001e{"type":6}\u001e',
  '\u000a\u0003ABC\u0010\u0096\u0001\u001a\u0002\u0008\u0001',
  'H4sIAAAAAAAAA6tWSlSyUkqqVNJRSs7PS8tMBwBdmQ6HFgAAAA==',
];

describe.each(DECODER_NAMES)('%s decoder on random input', (name) => {
  it('answers every message without throwing', () => {
    const next = random(name.length * 7919);
    const decoder = createDecoder(name);
    let seq = 1;
    for (let i = 0; i < 1500; i++) {
      const dir: WireFrame['dir'] = next() < 0.5 ? 'in' : 'out';
      let bytes: Uint8Array;
      if (next() < 0.5) {
        const seed = Buffer.from(SEEDS[Math.floor(next() * SEEDS.length)] ?? '');
        bytes = seed.subarray(Math.floor(next() * seed.length), Math.floor(next() * (seed.length + 1)));
      } else {
        bytes = Uint8Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 256));
      }
      const opcode = next() < 0.5 ? 'text' : 'binary';
      const answer = decoder.decode({ seq: seq++, dir, opcode, bytes });
      if (answer) {
        expect(['decoded', 'partial', 'invalid']).toContain(answer.kind);
        expect(answer.protocol).toBe(name);
        expect(typeof answer.summary).toBe('string');
        // The value must survive JSON (what --json and exports write).
        if (answer.kind !== 'invalid') expect(() => JSON.stringify(answer.value)).not.toThrow();
      }
    }
  });
});
