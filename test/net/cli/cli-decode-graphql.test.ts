/**
 * `connect --decode` against a real GraphQL over WebSocket server: the `graphql-ws` library's
 * server (graphql-transport-ws) on a `ws` server on 127.0.0.1, with a schema that has a query,
 * a subscription that yields three prices and one that fails. Run in process (the same
 * runConnect the binary runs) with the real Engine, typing the messages on stdin; the protocol
 * is recognised from the subprotocol the server chose. Nothing is asserted about time.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { useServer } from 'graphql-ws/use/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Engine } from '../../../src-main/core/engine';
import { connectTyping as typeInto, type TypingStep } from '../../support/cli-typing';

interface Line {
  type: string;
  dir?: string;
  protocol?: string;
  guess?: boolean;
  reason?: string;
  decoded?: { protocol: string; summary: string; value?: { operation?: unknown; payload?: unknown }; guess?: boolean };
}

// graphql as graphql-ws loads it (Node's resolution: the CommonJS build): a schema built from
// another copy (the bundler's pick, index.mjs) is refused as "from another module or realm".
const { GraphQLFloat, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const Price = new GraphQLObjectType({ name: 'Price', fields: { sym: { type: new GraphQLNonNull(GraphQLString) }, price: { type: new GraphQLNonNull(GraphQLFloat) } } });

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { symbols: { type: new GraphQLList(GraphQLString), resolve: () => ['ABC', 'XYZ'] } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      onPrice: {
        type: Price,
        args: { sym: { type: new GraphQLNonNull(GraphQLString) } },
        subscribe: async function* (_root: unknown, args: { sym: string }) {
          for (const price of [10, 11, 12]) yield { onPrice: { sym: args.sym, price } };
        },
      },
      broken: {
        type: GraphQLString,
        subscribe: () => {
          throw new Error('no feed today');
        },
      },
    },
  }),
});

let engine: Engine | undefined;
let server: WebSocketServer | undefined;
let dispose: (() => Promise<void> | void) | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await dispose?.();
  const closing = server;
  if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  server = undefined;
});

async function startServer(): Promise<number> {
  const started = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/graphql' });
  server = started;
  const cleanup = useServer({ schema }, started);
  dispose = () => cleanup.dispose();
  await new Promise<void>((resolve) => started.once('listening', resolve));
  return (started.address() as AddressInfo).port;
}

/** connect with its stdin typed step by step (test/support/cli-typing.ts), --json lines parsed. */
async function connectTyping(args: string[], script: readonly TypingStep[]): Promise<{ code: number; lines: Line[] }> {
  engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
  const run = await typeInto(engine, args, script);
  return { code: run.code, lines: run.out.trim().split('\n').map((line) => JSON.parse(line) as Line) };
}

describe('graphql-ws server (graphql-transport-ws)', () => {
  it('--json: the subscription from subscribe to complete, each result named by its operation; one whose resolver throws, one that does not validate, a query', async () => {
    const port = await startServer();
    const { code, lines } = await connectTyping(
      [`ws://127.0.0.1:${port}/graphql`, '--subprotocol', 'graphql-transport-ws', '--json'],
      [
        { send: '{"type":"connection_init"}', waitFor: '"summary":"connection_ack"' },
        { send: '{"id":"3","type":"subscribe","payload":{"query":"subscription onPrice($sym: String!) { onPrice(sym: $sym) { sym price } }","variables":{"sym":"ABC"}}}', waitFor: 'complete #3' },
        { send: '{"id":"4","type":"subscribe","payload":{"query":"subscription { broken }"}}', waitFor: 'complete #4' },
        { send: '{"id":"6","type":"subscribe","payload":{"query":"subscription { nope }"}}', waitFor: 'error #6' },
        { send: '{"id":"5","type":"subscribe","payload":{"query":"{ symbols }"}}', waitFor: 'complete #5' },
      ],
    );
    expect(code).toBe(0);
    expect(lines.find((l) => l.type === 'decode')).toEqual({ type: 'decode', protocol: 'graphql-ws', guess: true, reason: 'the server chose the subprotocol graphql-transport-ws' });
    const summaries = lines.filter((l) => l.type === 'frame' && l.decoded).map((l) => `${l.dir ?? ''} ${l.decoded?.summary ?? ''}`);
    expect(summaries).toEqual([
      'out connection_init',
      'in connection_ack',
      'out subscribe #3 subscription onPrice (variables sym)',
      'in next #3 (subscription onPrice)',
      'in next #3 (subscription onPrice)',
      'in next #3 (subscription onPrice)',
      'in complete #3 (subscription onPrice)',
      'out subscribe #4 subscription broken',
      // A resolver that throws: a result with the error, then complete.
      'in next #4 (subscription broken) with 1 error',
      'in complete #4 (subscription broken)',
      // A document that does not validate: an error message, which ends the operation.
      'out subscribe #6 subscription nope',
      `in error #6 (subscription nope): 'Cannot query field "nope" on type "Subscription".'`,
      'out subscribe #5 query symbols',
      'in next #5 (query symbols)',
      'in complete #5 (query symbols)',
    ]);
    const third = lines.filter((l) => l.decoded?.summary === 'next #3 (subscription onPrice)')[2];
    expect(third?.decoded?.value).toEqual({ id: '3', type: 'next', payload: { data: { onPrice: { sym: 'ABC', price: 12 } } }, operation: { type: 'subscription', name: 'onPrice' } });
  });
});
