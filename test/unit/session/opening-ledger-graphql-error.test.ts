/**
 * A GraphQL `error` that ends a subscription is a refusal the plan names (opening-ledger.ts via
 * opening-server-reader.ts), as a SUBACK refusal, a STOMP ERROR or a CONNECT_ERROR are: the
 * subscription is not sent again and the notice's "not sent again" line says the server's error
 * (the first error's message, graphql-transport-ws's list and the legacy protocol's object). A
 * `complete` only ends it (nothing to say); the same id subscribed again takes the refusal back.
 */
import { describe, expect, it } from 'vitest';
import { OpeningLedger } from '../../../src-main/core/session/opening-ledger';

const ledger = (subprotocol: string): OpeningLedger => new OpeningLedger({ url: 'ws://h/graphql', subprotocols: [subprotocol] });
const out = (l: OpeningLedger, ...messages: string[]): void => messages.forEach((m) => l.sent('text', Buffer.from(m)));
const inc = (l: OpeningLedger, ...messages: string[]): void => messages.forEach((m) => l.received('text', Buffer.from(m)));
const subscribe = (id: string, name: string, type = 'subscribe'): string => `{"id":"${id}","type":"${type}","payload":{"query":"subscription ${name} { x }"}}`;

describe("a GraphQL error ending a subscription: named in the plan's not-sent lines", () => {
  it('graphql-transport-ws: the first error of the list; a complete says nothing', () => {
    const l = ledger('graphql-transport-ws');
    out(l, '{"type":"connection_init"}', subscribe('1', 'A'), subscribe('2', 'B'), subscribe('3', 'C'));
    inc(l, '{"type":"connection_ack"}', '{"id":"1","type":"complete"}', '{"id":"2","type":"error","payload":[{"message":"denied"},{"message":"second"}]}');
    const plan = l.plan();
    expect(plan?.subscriptions.map((i) => i.label)).toEqual(['GraphQL subscribe #3 (C)']);
    expect(plan?.notSent).toEqual(["GraphQL subscribe #2 (B): the server ended it with error 'denied'"]);
  });

  it('legacy graphql-ws: the error object; an error without a message; subscribing the id again takes it back', () => {
    const l = ledger('graphql-ws');
    out(l, '{"type":"connection_init","payload":{}}', subscribe('1', 'A', 'start'), subscribe('2', 'B', 'start'));
    inc(l, '{"type":"connection_ack"}', '{"id":"1","type":"error","payload":{"message":"bad"}}', '{"id":"2","type":"error","payload":{}}');
    expect(l.plan()?.notSent).toEqual(["GraphQL start #1 (A): the server ended it with error 'bad'", 'GraphQL start #2 (B): the server ended it with error']);
    out(l, subscribe('1', 'A', 'start'));
    expect(l.plan()?.notSent).toEqual(['GraphQL start #2 (B): the server ended it with error']);
    expect(l.plan()?.subscriptions.map((i) => i.label)).toEqual(['GraphQL start #1 (A)']);
  });
});
