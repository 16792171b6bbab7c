/**
 * Every decoded query example the search shows (shared/decoded-query-examples.ts) parses, finds
 * the decoded values it says it finds and not the others.
 */
import { describe, expect, it } from 'vitest';
import { DECODED_QUERY_EXAMPLES } from '../../../src-main/shared/decoded-query-examples';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';

const emit = (event: string, args: unknown[]) => ({ engineIO: 'message', type: 'EVENT', nsp: '/', event, args });
const stomp = (destination: string, body: string) => ({ command: 'MESSAGE', headers: { destination, 'message-id': '7' }, body });
const publish = (topic: string, qos: number) => ({ cmd: 'publish', topic, qos, retain: false, dup: false, payload: '21.5' });

/** For every example: decoded values it finds and values it does not. */
const CASES: Record<string, { finds: unknown[]; skips: unknown[] }> = {
  "$.event == 'chat'": { finds: [emit('chat', ['hi'])], skips: [emit('chat message', []), emit('news', ['chat']), stomp('/topic/chat', 'chat')] },
  "$.args[0].room == 'lobby'": { finds: [emit('join', [{ room: 'lobby' }]), emit('join', ['{"room":"lobby"}'])], skips: [emit('join', ['lobby']), emit('join', [{}, { room: 'lobby' }])] },
  '$.headers.destination =~ /^\\/topic\\//': { finds: [stomp('/topic/prices', '')], skips: [stomp('/queue/orders', ''), stomp('/app/topic/x', '')] },
  '$.body.price > 100': { finds: [stomp('/topic/p', '{"sym":"ABC","price":120.5}'), stomp('/topic/p', ' {"price":101}')], skips: [stomp('/topic/p', '{"price":100}'), stomp('/topic/p', 'price=120'), stomp('/topic/p', '{"price":"120"}')] },
  "$.topic =~ /^sensors\\// && $.qos == 1": { finds: [publish('sensors/7/temp', 1)], skips: [publish('sensors/7/temp', 0), publish('alerts/sensors/7', 1)] },
  "$.operation.name == 'OnPrice'": { finds: [{ id: '1', type: 'next', operation: { type: 'subscription', name: 'OnPrice' }, payload: { data: {} } }], skips: [{ id: '2', type: 'next', operation: { type: 'subscription', name: 'OnTrade' } }, { type: 'ping' }] },
  "$.target == 'SendMessage'": { finds: [{ messageType: 'Invocation', type: 1, target: 'SendMessage', arguments: ['hi'] }], skips: [{ messageType: 'Invocation', type: 1, target: 'Send', arguments: [] }, { messageType: 'Ping', type: 6 }] },
  "$.args[*] == 'urgent'": { finds: [emit('mark', ['x', 'urgent'])], skips: [emit('mark', ['x', ['urgent']]), emit('urgent', [])] },
};

function matches(query: string, value: unknown): boolean {
  const parsed = parseDecodedQuery(query);
  if (!parsed.ok) throw new Error(`${query}: ${parsed.error}`);
  return matchesDecodedQuery(parsed.query, value);
}

describe('the decoded query examples the search shows', () => {
  it('every example has values it finds and ones it does not', () => {
    expect(Object.keys(CASES).sort()).toEqual(DECODED_QUERY_EXAMPLES.map((e) => e.query).sort());
    for (const { query } of DECODED_QUERY_EXAMPLES) {
      const { finds, skips } = CASES[query] ?? { finds: [], skips: [] };
      expect(finds.length, query).toBeGreaterThan(0);
      expect(skips.length, query).toBeGreaterThan(0);
      for (const value of finds) expect(matches(query, value), `${query} finds ${JSON.stringify(value)}`).toBe(true);
      for (const value of skips) expect(matches(query, value), `${query} skips ${JSON.stringify(value)}`).toBe(false);
    }
  });
});
