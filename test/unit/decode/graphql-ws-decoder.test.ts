/**
 * GraphQL over WebSocket from messages written as the two protocols' specifications show them
 * (graphql-ws's PROTOCOL.md for graphql-transport-ws, subscriptions-transport-ws's PROTOCOL.md
 * for the legacy graphql-ws); test/net/cli/cli-decode-graphql.test.ts runs a real graphql-ws
 * server. Operations are linked by id; bad messages are "not valid" with what and where.
 */
import { describe, expect, it } from 'vitest';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { graphqlOperation } from '../../../src-main/core/decode/graphql-operation';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { binaryFrame, textFrame } from './wire';

function summaries(decoder: GraphqlWsDecoder, messages: [string, 'in' | 'out'][]): (string | undefined)[] {
  return messages.map(([text, dir]) => decoder.decode(textFrame(text, dir))?.summary);
}

describe('GraphQL over WebSocket decoder (messages from the specifications)', () => {
  it('graphql-transport-ws: a subscription from subscribe to complete, its results named by id', () => {
    const decoder = new GraphqlWsDecoder();
    expect(
      summaries(decoder, [
        ['{"type":"connection_init","payload":{"token":"t"}}', 'out'],
        ['{"type":"connection_ack"}', 'in'],
        ['{"id":"3","type":"subscribe","payload":{"query":"subscription onPrice($sym: String!) { onPrice(sym: $sym) { price } }","variables":{"sym":"ABC"}}}', 'out'],
        ['{"id":"3","type":"next","payload":{"data":{"onPrice":{"price":12}}}}', 'in'],
        ['{"id":"3","type":"next","payload":{"data":null,"errors":[{"message":"late"}]}}', 'in'],
        ['{"type":"ping"}', 'in'],
        ['{"type":"pong"}', 'out'],
        ['{"id":"3","type":"complete"}', 'out'],
        ['{"id":"3","type":"next","payload":{"data":{}}}', 'in'],
      ]),
    ).toEqual([
      'connection_init',
      'connection_ack',
      'subscribe #3 subscription onPrice (variables sym)',
      'next #3 (subscription onPrice)',
      'next #3 (subscription onPrice) with 1 error',
      'ping',
      'pong',
      'complete #3 (subscription onPrice) (the client stops it)',
      // After complete the id is free again: a late result is not named.
      'next #3',
    ]);
  });

  it('the value is the message, with the operation on every message of its id', () => {
    const decoder = new GraphqlWsDecoder();
    decoder.decode(textFrame('{"id":"a1","type":"subscribe","payload":{"query":"query { me { id } }"}}', 'out'));
    const next = decoder.decode(textFrame('{"id":"a1","type":"next","payload":{"data":{"me":{"id":1}}}}'));
    expect(next).toMatchObject({ kind: 'decoded', protocol: 'graphql-ws', value: { id: 'a1', type: 'next', payload: { data: { me: { id: 1 } } }, operation: { type: 'query', name: 'me' } } });
    const error = decoder.decode(textFrame('{"id":"a1","type":"error","payload":[{"message":"no access","path":["me"]}]}'));
    expect(error?.summary).toBe("error #a1 (query me): 'no access'");
  });

  it('the legacy graphql-ws (subscriptions-transport-ws): start, data, stop, ka', () => {
    const decoder = new GraphqlWsDecoder();
    expect(
      summaries(decoder, [
        ['{"type":"connection_init","payload":{}}', 'out'],
        ['{"type":"connection_ack"}', 'in'],
        ['{"type":"ka"}', 'in'],
        ['{"id":"1","type":"start","payload":{"query":"subscription { commentAdded { id } }","operationName":null}}', 'out'],
        ['{"id":"1","type":"data","payload":{"data":{"commentAdded":{"id":5}}}}', 'in'],
        ['{"id":"1","type":"stop"}', 'out'],
        ['{"id":"1","type":"complete"}', 'in'],
        ['{"type":"connection_error","payload":{"message":"bad token"}}', 'in'],
        ['{"type":"connection_terminate"}', 'out'],
      ]),
    ).toEqual([
      'connection_init',
      'connection_ack',
      'ka (keep-alive)',
      'start #1 subscription commentAdded',
      'data #1 (subscription commentAdded)',
      'stop #1 (subscription commentAdded)',
      'complete #1',
      "connection_error: 'bad token'",
      'connection_terminate',
    ]);
  });

  const malformed: [string, string][] = [
    ['{"type":"subscribe","payload":{"query":"{a}"}}', "not valid GraphQL over WebSocket: a subscribe message without an \"id\" (a non-empty string)"],
    ['{"id":"1","type":"subscribe"}', 'not valid GraphQL over WebSocket: a subscribe message without a "payload" object'],
    ['{"id":"1","type":"subscribe","payload":{"variables":{}}}', 'not valid GraphQL over WebSocket: the subscribe message #1\'s payload has no "query" (a string)'],
    ['{"id":"1","type":"nope"}', "not valid GraphQL over WebSocket: unknown message type 'nope'"],
    ['{"id":"1","type":"__proto__"}', "not valid GraphQL over WebSocket: unknown message type '__proto__'"],
    ['{"id":1}', 'not valid GraphQL over WebSocket: the message has no "type" (a string)'],
    // An error's payload is a list of errors (graphql-transport-ws) or one error object (the legacy protocol).
    ['{"type":"error","id":"2","payload":"nope"}', 'not valid GraphQL over WebSocket: an error message #2 whose "payload" is neither a list of errors nor an error object'],
    ['{"type":"error","id":"2"}', 'not valid GraphQL over WebSocket: an error message #2 whose "payload" is neither a list of errors nor an error object'],
    ['{"type":"error","id":"2","payload":["nope"]}', 'not valid GraphQL over WebSocket: an error message #2 whose "payload" is neither a list of errors nor an error object'],
    ['["next"]', `not valid GraphQL over WebSocket: the message is JSON but not an object: '["next"]'`],
  ];
  it.each(malformed)('not valid: %s', (text, summary) => {
    expect(new GraphqlWsDecoder().decode(textFrame(text))).toMatchObject({ kind: 'invalid', protocol: 'graphql-ws', summary });
  });

  it('truncated JSON and binary messages are not valid, with where', () => {
    const decoder = new GraphqlWsDecoder();
    const cut = decoder.decode(textFrame('{"id":"1","type":"next","payload":{"da'));
    expect(cut?.kind).toBe('invalid');
    expect(cut?.summary).toMatch(/^not valid GraphQL over WebSocket: the message is not JSON \(.*position 38.*\)/);
    expect(decoder.decode(binaryFrame([1, 2, 3]))?.summary).toBe('not valid GraphQL over WebSocket: a binary message of 3 B (GraphQL over WebSocket sends JSON text)');
  });
});

describe('graphqlOperation: the operation a document asks for', () => {
  const table: [string, string | undefined, { type: string; name?: string }][] = [
    ['subscription onPrice { price }', undefined, { type: 'subscription', name: 'onPrice' }],
    ['subscription { onPrice(sym: "query") { p } }', undefined, { type: 'subscription', name: 'onPrice' }],
    ['{ search { query } }', undefined, { type: 'query', name: 'search' }],
    ['query Q($a: Int = 1) { a: user { id } }', undefined, { type: 'query', name: 'Q' }],
    ['fragment F on X { query }\n# query Nope\nmutation M { do }', undefined, { type: 'mutation', name: 'M' }],
    ['query A { a } query B { b }', 'B', { type: 'query', name: 'B' }],
    ['mutation { addComment(text: """a { b"""){ id } }', undefined, { type: 'mutation', name: 'addComment' }],
    ['not graphql', undefined, { type: 'query' }],
  ];
  it.each(table)('%s', (query, operationName, expected) => {
    expect(graphqlOperation(query, operationName)).toEqual(expected);
  });
});

describe('GraphQL over WebSocket: a message of the other protocol than the subprotocol chosen (QA D15)', () => {
  const query = '{"query":"subscription OnPrice { price }"}';
  it('flags a graphql-transport-ws message under graphql-ws (subscriptions-transport-ws), still read as it says', () => {
    const decoder = new GraphqlWsDecoder({ subprotocol: 'graphql-ws' });
    const subscribe = decoder.decode(textFrame(`{"type":"subscribe","id":"3","payload":${query}}`, 'out'));
    expect(subscribe).toMatchObject({
      kind: 'decoded',
      summary: 'subscribe #3 subscription OnPrice · not a message of the subprotocol graphql-ws (subscriptions-transport-ws): subscribe belongs to graphql-transport-ws (the graphql-ws library)',
      value: { type: 'subscribe', id: '3', operation: { type: 'subscription', name: 'OnPrice' } },
    });
    // Its id is remembered: what answers it is named after it; a type both protocols have is not flagged.
    expect(decoder.decode(textFrame('{"type":"complete","id":"3"}', 'in'))?.summary).toBe('complete #3 (subscription OnPrice)');
    expect(summaries(decoder, [
      ['{"type":"ping"}', 'in'],
      ['{"type":"start","id":"4","payload":{"query":"{ a }"}}', 'out'],
      ['{"type":"connection_ack"}', 'in'],
    ])).toEqual(['ping · not a message of the subprotocol graphql-ws (subscriptions-transport-ws): ping belongs to graphql-transport-ws (the graphql-ws library)', 'start #4 query a', 'connection_ack']);
  });

  it('is told the subprotocol the server chose by the registry (as every view and the CLI make their decoder)', () => {
    const subscribe = textFrame(`{"type":"subscribe","id":"3","payload":${query}}`, 'out');
    expect(createDecoder('graphql-ws', { connection: { url: 'ws://127.0.0.1/graphql', subprotocol: 'graphql-ws' } }).decode(subscribe)?.summary).toContain('not a message of the subprotocol graphql-ws');
    expect(createDecoder('graphql-ws', { connection: { url: 'ws://127.0.0.1/graphql' } }).decode(subscribe)?.summary).toBe('subscribe #3 subscription OnPrice');
  });

  it('flags a subscriptions-transport-ws message under graphql-transport-ws, case aside', () => {
    const decoder = new GraphqlWsDecoder({ subprotocol: 'GraphQL-Transport-WS' });
    expect(summaries(decoder, [
      ['{"type":"ka"}', 'in'],
      ['{"type":"subscribe","id":"1","payload":{"query":"{ a }"}}', 'out'],
      ['{"type":"data","id":"1","payload":{"data":{}}}', 'in'],
    ])).toEqual([
      'ka (keep-alive) · not a message of the subprotocol graphql-transport-ws (the graphql-ws library): ka belongs to graphql-ws (subscriptions-transport-ws)',
      'subscribe #1 query a',
      'data #1 (query a) · not a message of the subprotocol graphql-transport-ws (the graphql-ws library): data belongs to graphql-ws (subscriptions-transport-ws)',
    ]);
  });

  it('says nothing without a subprotocol, or with another one; an invalid message stays as it was', () => {
    for (const subprotocol of [undefined, '', 'graphql', 'v12.stomp']) {
      const decoder = new GraphqlWsDecoder(subprotocol === undefined ? {} : { subprotocol });
      expect(decoder.decode(textFrame(`{"type":"subscribe","id":"3","payload":${query}}`, 'out'))?.summary, subprotocol).toBe('subscribe #3 subscription OnPrice');
    }
    expect(new GraphqlWsDecoder({ subprotocol: 'graphql-ws' }).decode(textFrame('{"type":"next"}', 'in'))?.summary).toBe('not valid GraphQL over WebSocket: a next message without an "id" (a non-empty string)');
  });
});
