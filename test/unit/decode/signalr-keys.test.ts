/**
 * SignalR's key rule (signalr-keys.ts): a query search whose path needs a key the decoder does
 * not write passes over messages that cannot have it, and counts what decoding every frame in
 * order counts, on JSON and MessagePack hub messages: records split and shared, escaped keys,
 * map keys that are numbers, booleans or null (msgpackr shows them as text not in the bytes),
 * a handshake, partial messages. Which queries get the rule, and that it is used.
 */
import { describe, expect, it } from 'vitest';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { SIGNALR_WRITTEN_KEYS, signalrKeyPrefilter } from '../../../src-main/core/decode/signalr-keys';
import { signalrRefutation } from '../../../src-main/core/decode/signalr-match-proof';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';
import { signalrHubMessage } from '../../support/signalr-hub-message';

const RS = '\u001e';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}


const QUERIES = ['$.messages', '$.conversation.role', '$.nothing > 1', '$.arguments[0].price > 5', '$.arguments[0]', "$.arguments[0]['5'] == 1", '$.arguments[0].true', '$.arguments[0].null', '$.arguments[0].price != 2', '$.messages[0].arguments[0].price >= 1'];

describe('SignalR key rule', () => {
  it('is given for a key the decoder does not write and msgpackr cannot make of another key, else not', () => {
    const rule = (query: string) => signalrKeyPrefilter(parsed(query));
    expect(rule('$.nothing > 1')?.kind).toBe('stateful');
    expect(rule('$.arguments[0].price > 5')?.kind).toBe('stateful');
    // The query's prefilter is the key rule beside the JSON proof's rule-out (signalrQueryPrefilter).
    const both = queryPrefilter('signalr', parsed('$.nothing > 1'), { protobuf: 'none' });
    expect(both?.kind === 'stateful' ? both.key : both).toBe(`${rule('$.nothing > 1')?.key ?? ''}\u0000${signalrRefutation(parsed('$.nothing > 1'))?.key ?? ''}`);
    for (const query of ['$.arguments[0] > 5', '$.target', "$.arguments[0]['5'] == 1", '$.arguments[0].true', '$.arguments[0].null', '$.arguments[0].NaN', '$.arguments[0].price != 2', "$.arguments[0]['a\"b'] == 1"]) {
      expect(rule(query), query).toBeUndefined();
    }
    // The decoder's own names are listed (what its values hold at the top).
    const decoder = new SignalRDecoder();
    decoder.decode({ seq: 1, dir: 'in', opcode: 'text', bytes: Buffer.from(`{"protocol":"json","version":1}${RS}`) });
    const invocation = decoder.decode({ seq: 2, dir: 'in', opcode: 'text', bytes: Buffer.from(`{"type":1,"invocationId":"7","target":"Send","arguments":[{"price":3}]}${RS}`) });
    if (invocation?.kind !== 'decoded' || typeof invocation.value !== 'object' || invocation.value === null || Array.isArray(invocation.value)) throw new Error('not decoded');
    for (const key of Object.keys(invocation.value)) expect(SIGNALR_WRITTEN_KEYS.has(key), key).toBe(true);
  });

  it('on crafted JSON and MessagePack messages agree with decoding every frame', () => {
    const messages: Message[] = [
      text('out', `{"protocol":"json","version":1}${RS}`),
      text('in', `{"protocol":"json","version":1}${RS}`),
      text('in', `{"type":1,"target":"Send","arguments":[{"price":9}]}${RS}`),
      text('in', `{"type":1,"target":"Send","arguments":[{"pr\\u0069ce":9}]}${RS}`),
      text('in', `{"type":1,"target":"Send","arguments":[{"other":9}]}${RS}{"type":1,"target":"Send","arguments":[{"price":7}]}${RS}`),
      text('in', `{"type":1,"target":"Send","argu`),
      text('in', `ments":[{"price":8}]}${RS}`),
      text('in', `{"type":1,"target":"Send","arguments":[{"nothing":2}]}${RS}`),
      text('in', `{"type":6}${RS}`),
      text('in', `{"type":1,"invocationId":"4","target":"Send","arguments":[{"price":9}]}${RS}`),
      binary('in', signalrHubMessage([1, {}, null, 'Send', [new Map<unknown, unknown>([['price', 6]])]])),
      binary('in', signalrHubMessage([1, {}, null, 'Send', [new Map<unknown, unknown>([[5, 1], [true, 2], [null, 3]])]])),
      binary('in', Buffer.concat([signalrHubMessage([1, {}, null, 'Send', [new Map([['other', 1]])]]), signalrHubMessage([6])])),
      binary('in', signalrHubMessage([1, {}, null, 'Send', [new Map([['nothing', 4]])]]).subarray(0, 6)),
      binary('in', signalrHubMessage([1, {}, null, 'Send', [new Map([['nothing', 4]])]]).subarray(6)),
      binary('in', signalrHubMessage([1, {}, null, 'Send', [new Map([['nothing', 4]])]])),
      binary('in', signalrHubMessage([1, { price: 'h' }, null, 'Send', [1]])),
      binary('in', Buffer.from(`{"type":1,"target":"Send","arguments":[{"price":9}]}${RS}`)),
    ];
    const results = compareSearches(messages, 'signalr', 'ws://hub/chat', () => new SignalRDecoder(), QUERIES.map((query) => ({ query })));
    for (const { label, expected, got } of results) expect(got, label).toEqual(expected);
    expect(results.some(({ expected }) => expected.length > 0)).toBe(true);
  });

  it('on random streams of both protocols, split anywhere, agrees with decoding every frame', () => {
    const random = seeded(19);
    for (let round = 0; round < 30; round++) {
      const messages: Message[] = [];
      if (random(3) !== 0) messages.push(text('in', `{"protocol":"json","version":1}${RS}`));
      let pending = Buffer.alloc(0);
      for (let i = 0; i < 25; i++) {
        const key = pick(random, ['price', 'pr\\u0069ce', 'other', 'nothing']);
        if (random(2) === 0) {
          messages.push(text('in', pick(random, [`{"type":1,"target":"Send","arguments":[{"${key}":${i}}]}${RS}`, `{"type":6}${RS}`, `{"type":1,"target":"Send","arguments":[{"${key}":${i}}]}`, `{"type":1,"target":"Send","arguments":[{"${key}":${i}}]}${RS}{"type":6}${RS}`])));
        } else {
          const mapKey = pick<unknown>(random, ['price', 'other', 'nothing', 5, true, null]);
          const message = Buffer.concat([pending, signalrHubMessage([1, {}, null, 'Send', [new Map([[mapKey, i]])]])]);
          const cut = random(4) === 0 ? 1 + random(message.length - 1) : message.length;
          messages.push(binary('out', message.subarray(0, cut)));
          pending = message.subarray(cut);
        }
      }
      const results = compareSearches(messages, 'signalr', 'ws://hub/chat', () => new SignalRDecoder(), QUERIES.map((query) => ({ query })));
      for (const { label, expected, got } of results) expect(got, `round ${round} ${label}`).toEqual(expected);
    }
  });
});
