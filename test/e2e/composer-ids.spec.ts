/**
 * The composer's ids against real servers (issue 14 QA, H3), and {{$counter}} filled in in a
 * protocol message (L2). Before, a second subscribe went out with the same id: graphql-ws closed
 * the connection 4409 "Subscriber for 1 already exists", RabbitMQ "STOMP died" on a second
 * SUBSCRIBE id:sub-0. Now the id the user did not change moves on after each send (1 → 2,
 * sub-0 → sub-1), both subscriptions run, and an id typed back to one still open is warned about.
 * Servers on 127.0.0.1, port 0: a graphql-ws server (`useServer`) and, where installed, a
 * throw-away RabbitMQ with Web-STOMP (test/support/rabbitmq.ts).
 * Screenshots: test-results/screenshots/composer-ids-*.png.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { rabbitmqMissing, startRabbitMq, type RunningRabbitMq } from '../support/rabbitmq';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

// graphql as graphql-ws loads it (the CommonJS build): a schema from another copy is refused.
const { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** A subscription that sends one result, then stays open (its id stays in use) until completed. */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'hi' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      tick: {
        type: GraphQLInt,
        subscribe: async function* () {
          yield { tick: 1 };
          await new Promise<never>(() => undefined);
        },
      },
    },
  }),
});

let host: WebHostProcess;
let gqlServer: WebSocketServer | undefined;
let gqlDispose: (() => Promise<void> | void) | undefined;
let gqlUrl = '';
const closes: { code: number; reason: string }[] = [];

test.beforeAll(async () => {
  host = await startWebHostProcess();
  const started = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/graphql' });
  gqlServer = started;
  const cleanup = useServer({ schema }, started);
  gqlDispose = () => cleanup.dispose();
  started.on('connection', (socket) => socket.on('close', (code, reason) => closes.push({ code, reason: reason.toString() })));
  await new Promise<void>((resolve) => started.once('listening', resolve));
  gqlUrl = `ws://127.0.0.1:${(started.address() as AddressInfo).port}/graphql`;
});

test.afterAll(async () => {
  await gqlDispose?.();
  const closing = gqlServer;
  if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  await host?.stop();
});

const composer = (page: Page) => page.getByRole('region', { name: 'Composer' });
const summaries = (page: Page) => frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary');

async function openWith(page: Page, url: string, subprotocol: string): Promise<void> {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('Subprotocols', { exact: true }).fill(subprotocol);
  await connect(page, url);
  await expect(stateOf(page)).toContainText('open');
  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
}

async function send(page: Page): Promise<void> {
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
}

test('GraphQL: two subscribes go as #1 and #2, both answered, and the connection stays open (no 4409)', async ({ page }) => {
  await openWith(page, gqlUrl, 'graphql-transport-ws');
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('graphql');
  await composer(page).getByLabel('GraphQL message').selectOption('connection_init');
  await expect(page.getByTestId('protocol-preview')).toContainText('connection_init');
  await send(page);
  await expect(summaries(page).filter({ hasText: 'connection_ack' })).toHaveCount(1);
  await composer(page).getByLabel('GraphQL message').selectOption('subscribe');
  await composer(page).getByLabel('Query').fill('subscription { tick }');
  await expect(page.getByTestId('protocol-preview')).toContainText('subscribe #1');
  await send(page);
  await expect(summaries(page).filter({ hasText: /^↩ next #1/ })).toHaveCount(1);
  // The id moved on by itself: the second subscribe is #2.
  await expect(composer(page).getByLabel('Id', { exact: true })).toHaveValue('2');
  await expect(page.getByTestId('protocol-preview')).toContainText('subscribe #2');
  await send(page);
  await expect(summaries(page).filter({ hasText: /^↩ next #2/ })).toHaveCount(1);
  await expect(stateOf(page)).toContainText('open');
  expect(closes).toEqual([]);
  await saveScreenshot(page, 'composer-ids-graphql');

  // Typed back to 1, still open: said before sending, with the next free id offered.
  await composer(page).getByLabel('Id', { exact: true }).fill('1');
  const warning = page.getByTestId('protocol-id-warning');
  await expect(warning).toContainText("The id 1 was sent in this session's subscribe already and is still open: send complete with it first, or use 3");
  await saveScreenshot(page, 'composer-ids-graphql-warning');
  await warning.getByRole('button', { name: 'Use 3' }).click();
  await expect(composer(page).getByLabel('Id', { exact: true })).toHaveValue('3');
  await expect(warning).toHaveCount(0);
});

test('GraphQL: a subscribe sent from the Text box took id 1, so the Protocol form proposes 2 (before: 1, and graphql-ws closed 4409)', async ({ page }) => {
  await openWith(page, gqlUrl, 'graphql-transport-ws');
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('graphql');
  await composer(page).getByLabel('GraphQL message').selectOption('connection_init');
  await send(page);
  await expect(summaries(page).filter({ hasText: 'connection_ack' })).toHaveCount(1);
  await composer(page).getByLabel('GraphQL message').selectOption('subscribe');
  await composer(page).getByLabel('Query').fill('subscription { tick }');
  await expect(composer(page).getByLabel('Id', { exact: true })).toHaveValue('1');
  // The same subscribe typed as JSON in the Text box: the composer's form did not send it.
  await composer(page).getByRole('button', { name: 'Text', exact: true }).click();
  await composer(page).getByLabel('Message', { exact: true }).fill('{"id":"1","type":"subscribe","payload":{"query":"subscription { tick }"}}');
  await send(page);
  await expect(summaries(page).filter({ hasText: /^↩ next #1/ })).toHaveCount(1);
  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
  // Read from the log: 1 is taken, so the form proposes 2.
  await expect(composer(page).getByLabel('Id', { exact: true })).toHaveValue('2');
  await expect(page.getByTestId('protocol-preview')).toContainText('subscribe #2');
  await saveScreenshot(page, 'composer-ids-graphql-text-box');
  const closedBefore = closes.length;
  await send(page);
  await expect(summaries(page).filter({ hasText: /^↩ next #2/ })).toHaveCount(1);
  await expect(stateOf(page)).toContainText('open');
  expect(closes.slice(closedBefore)).toEqual([]);
  // Typed back to 1: still open on the server, said before sending.
  await composer(page).getByLabel('Id', { exact: true }).fill('1');
  await expect(page.getByTestId('protocol-id-warning')).toContainText("The id 1 was sent in this session's subscribe already and is still open");
});

test('{{$counter}} in a GraphQL subscribe\'s operation name is filled in by the engine (before: sent as typed)', async ({ page }) => {
  await openWith(page, gqlUrl, 'graphql-transport-ws');
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('graphql');
  await composer(page).getByLabel('GraphQL message').selectOption('connection_init');
  await send(page);
  await expect(summaries(page).filter({ hasText: 'connection_ack' })).toHaveCount(1);
  await composer(page).getByLabel('GraphQL message').selectOption('subscribe');
  await composer(page).getByLabel('Query').fill('subscription Tick{{$counter}} { tick }');
  await composer(page).getByLabel('Operation', { exact: true }).fill('Tick{{$counter}}');
  await expect(page.getByTestId('protocol-fill')).toHaveText('— {{…}} filled in at each send');
  await saveScreenshot(page, 'composer-ids-fill');
  await send(page);
  // The server ran it: the name was filled in (an operation named Tick{{$counter}} is no GraphQL).
  await expect(summaries(page).filter({ hasText: /^↩ next #1 \(subscription Tick1\)/ })).toHaveCount(1);
  await frames(page).locator('[role="row"]').filter({ hasText: /subscribe #1/ }).first().click();
  await expect(page.getByRole('tabpanel', { name: 'Text' })).toContainText('"query":"subscription Tick1 { tick }"');
});

test.describe('STOMP with RabbitMQ Web-STOMP', () => {
  test.skip(rabbitmqMissing !== undefined, `RabbitMQ cannot run here: ${rabbitmqMissing ?? ''}`);
  let broker: RunningRabbitMq | undefined;
  test.beforeAll(async () => {
    test.setTimeout(300_000);
    broker = await startRabbitMq();
  });
  test.afterAll(async () => {
    test.setTimeout(120_000);
    await broker?.stop();
  });

  test('two SUBSCRIBEs go as sub-0 and sub-1, and both get their MESSAGE (before: "STOMP died")', async ({ page }) => {
    if (!broker) throw new Error('the broker did not start');
    await openWith(page, broker.webStompUrl, 'v12.stomp');
    await composer(page).getByLabel('Protocol', { exact: true }).selectOption('stomp');
    await composer(page).getByLabel('Command', { exact: true }).selectOption('CONNECT');
    const add = composer(page).getByRole('button', { name: '+ Header' });
    for (const [i, name, value] of [[3, 'login', 'guest'], [4, 'passcode', 'guest'], [5, 'heart-beat', '0,0']] as const) {
      await add.click();
      await composer(page).getByLabel(`Header ${i} name`).fill(name);
      await composer(page).getByLabel(`Header ${i} value`).fill(value);
    }
    await send(page);
    await expect(summaries(page).filter({ hasText: /CONNECTED/ })).toHaveCount(1);
    await composer(page).getByLabel('Command', { exact: true }).selectOption('SUBSCRIBE');
    await expect(composer(page).getByLabel('Header 1 value')).toHaveValue('sub-0');
    await composer(page).getByLabel('Header 2 value').fill('/topic/a');
    await send(page);
    await expect(composer(page).getByLabel('Header 1 value')).toHaveValue('sub-1');
    await composer(page).getByLabel('Header 2 value').fill('/topic/b');
    await expect(page.getByTestId('protocol-preview')).toContainText('SUBSCRIBE /topic/b id=sub-1');
    await send(page);
    // A SEND to each topic: each subscription gets its MESSAGE, and the broker kept the connection.
    await composer(page).getByLabel('Command', { exact: true }).selectOption('SEND');
    for (const topic of ['/topic/a', '/topic/b']) {
      await composer(page).getByLabel('Header 1 value').fill(topic);
      await composer(page).getByLabel('Body', { exact: true }).fill(`to ${topic}`);
      await expect(page.getByTestId('protocol-preview')).toContainText(`SEND ${topic}`);
      await send(page);
    }
    await expect(summaries(page).filter({ hasText: /MESSAGE \/topic\/a .*sub-0/ })).toHaveCount(1);
    await expect(summaries(page).filter({ hasText: /MESSAGE \/topic\/b .*sub-1/ })).toHaveCount(1);
    await expect(summaries(page).filter({ hasText: /ERROR/ })).toHaveCount(0);
    await expect(stateOf(page)).toContainText('open');
    await saveScreenshot(page, 'composer-ids-stomp');
  });
});
