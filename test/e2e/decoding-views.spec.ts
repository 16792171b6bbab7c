/**
 * The decoder views as a user reads them (issue 14), in Chromium through the web host at
 * 1280×800, where the other decoding specs do not look: a STOMP log with several frames that
 * are not valid (each row leads with what is wrong, the tooltip and the detail pane say "not
 * valid STOMP: …" whole), a GraphQL subscription's results linked to it, without a latency (stream
 * items: their time since the subscribe is no response time), its complete with its latency (the
 * log, the latency whole at the Summary cell's right end, the detail pane's conversation, the JSON
 * payload's Tree | Pretty choice whole beside Copy), MQTT's SUBACK linked to the composer's
 * SUBSCRIBE and a reserved packet type in words, SignalR hub records, Socket.IO binary events (a
 * real socket.io v4 server: placeholder and attachments, the parts muted), and the composer's form
 * for each protocol.
 * Servers: a scripted `ws` server on 127.0.0.1. Screenshots: test-results/screenshots/views-*.png.
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect, test, type Locator, type Page } from '@playwright/test';
import mqttPacket from 'mqtt-packet';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';
import { connect, frames, openInspector, saveScreenshot, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

/** STOMP frames a broker would never send, after a CONNECTED: each not valid in its own way. */
const BAD_STOMP = [
  'CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000',
  'BOGUS\n\n\u0000',
  'MESSAGE\ndestination:/topic/a\\qb\nmessage-id:m-1\nsubscription:sub-0\n\n{}\u0000',
  'MESSAGE\ndestination:/topic/prices\nmessage-id:m-2\nsubscription:sub-0\ncontent-length:3\n\n{"price":1}\u0000',
  'RECEIPT\nreceipt-id\n\n\u0000',
  'MESSAGE\ndestination:/topic/prices\nmessage-id:m-3\nsubscription:sub-0\n\n{"price":12.5}\u0000',
];

/** Recorded SignalR JSON hub frames (each record ended by 0x1E), sent once the client's handshake comes: an invocation and its completion, a stream, a broken record. */
const RS = '\u001e';
const SIGNALR = [
  `{}${RS}`,
  `{"type":1,"invocationId":"7","target":"SendMessage","arguments":["ada","hello"]}${RS}`,
  `{"type":3,"invocationId":"7","result":{"ok":true}}${RS}`,
  `{"type":1,"target":"ReceiveMessage","arguments":["grace","hi there",{"room":"general","at":1733400000}]}${RS}{"type":6}${RS}`,
  `{"type":2,"invocationId":"8","item":{"price":12.5}}${RS}`,
  `{"type":1,"target":"ReceiveMessage","arguments":["x"${RS}`,
];

/** What a graphql-transport-ws server answers: the ack, then two results of a subscription a moment apart and its end. */
function answerGraphql(socket: WebSocket, text: string): void {
  const message = JSON.parse(text) as { type?: string; id?: string };
  if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
  if (message.type !== 'subscribe' || message.id === undefined) return;
  const id = JSON.stringify(message.id);
  setTimeout(() => socket.send(`{"type":"next","id":${id},"payload":{"data":{"price":{"symbol":"ACME","price":12.5,"at":"2026-12-05T12:00:00Z"}}}}`), 30);
  setTimeout(() => {
    socket.send(`{"type":"next","id":${id},"payload":{"data":{"price":{"symbol":"ACME","price":12.75,"at":"2026-12-05T12:00:01Z"}}}}`);
    socket.send(`{"type":"complete","id":${id}}`);
  }, 60);
}

/**
 * What an MQTT 3.1.1 broker answers as far as this test needs: CONNACK; a SUBSCRIBE's SUBACK, then
 * a retained reading on the topic (QoS 1) and a packet no broker sends (type 0 is reserved).
 */
function answerMqtt(socket: WebSocket, data: Buffer): void {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', (packet) => {
    if (packet.cmd === 'connect') socket.send(mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
    if (packet.cmd !== 'subscribe') return;
    setTimeout(() => {
      socket.send(mqttPacket.generate({ cmd: 'suback', messageId: packet.messageId, granted: [1] }));
      socket.send(mqttPacket.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 7, retain: true, dup: false }));
      socket.send(Buffer.from([0x00, 0x02, 0x00, 0x01]));
    }, 25);
  });
  parser.parse(data);
}

let host: WebHostProcess;
let wss: WebSocketServer;
let base: string;
let socketIoHttp: http.Server;
let socketIo: SocketIoServer;
let socketIoUrl: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  const chosen = (offered: Set<string>): string | false => [...offered].find((p) => p === 'graphql-transport-ws' || p === 'mqtt') ?? false;
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, handleProtocols: chosen });
  wss.on('connection', (socket, request) => {
    socket.on('error', () => socket.terminate());
    if (request.url === '/stomp-bad') for (const frame of BAD_STOMP) socket.send(frame);
    socket.on('message', (data) => {
      if (request.url === '/graphql') answerGraphql(socket, data.toString());
      else if (request.url === '/mqtt' && Buffer.isBuffer(data)) answerMqtt(socket, data);
      else if (request.url === '/signalr') for (const frame of SIGNALR) socket.send(frame);
      else if (request.url === '/echo') socket.send(data);
    });
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  base = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  // socket.io v4: on joining /, a binary event (its placeholder, then the attachment) and one with two.
  socketIoHttp = http.createServer();
  socketIo = new SocketIoServer(socketIoHttp, { transports: ['websocket'] });
  socketIo.on('connection', (socket) => {
    socket.emit('file', { name: 'a.bin' }, Buffer.from([1, 2, 3]));
    socket.emit('pair', Buffer.from('left'), Buffer.from('right'));
  });
  await new Promise<void>((resolve) => socketIoHttp.listen(0, '127.0.0.1', resolve));
  socketIoUrl = `ws://127.0.0.1:${(socketIoHttp.address() as AddressInfo).port}/socket.io/?EIO=4&transport=websocket`;
});

test.afterAll(async () => {
  for (const client of wss?.clients ?? []) client.terminate();
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  await host?.stop();
  await socketIo?.close();
});

function summaries(page: Page): Locator {
  return frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary');
}

function composer(page: Page): Locator {
  return page.getByRole('region', { name: 'Composer' });
}

test('several frames that are not valid STOMP: each row leads with what is wrong, the whole problem on hover and in the detail pane', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, `${base}/stomp-bad`);
  await expect(stateOf(page)).toContainText('open');
  await page.getByLabel('Decode', { exact: true }).selectOption('stomp');
  await expect(summaries(page)).toHaveCount(BAD_STOMP.length);
  await expect(summaries(page).first()).toHaveText(/^CONNECTED version=1\.2/);
  // Its SUBSCRIBE is not in this log: no arrow, and the tooltip says why.
  await expect(summaries(page).last()).toHaveText(/^MESSAGE \/topic\/prices 14 B .* message-id=m-3$/);
  await expect(summaries(page).last()).toHaveAttribute('title', /no request of it in the 256 frames before it on this connection/);
  const invalid = frames(page).locator('.c-summary.invalid');
  await expect(invalid).toHaveCount(4);
  // Each leads with the problem, and its tooltip is "not valid STOMP: " and that problem.
  for (const cell of await invalid.all()) {
    const text = (await cell.textContent()) ?? '';
    expect(text).toMatch(/^⚠ \S/);
    await expect(cell).toHaveAttribute('title', `not valid STOMP: ${text.slice(2)}`);
  }
  await expect(invalid.first()).toHaveText('⚠ unknown command "BOGUS" at byte 0');
  await saveScreenshot(page, 'views-stomp-invalid-log');

  await invalid.nth(1).click();
  // A row clicked stops following; with every row on screen there is no "Jump to latest" to show.
  await expect(page.getByTestId('jump-pill')).toHaveCount(0);
  const problem = page.getByTestId('decode-problem');
  await expect(problem).toHaveText(/^not valid STOMP: /);
  await expect(problem).toHaveText(`not valid STOMP: ${((await invalid.nth(1).textContent()) ?? '').slice(2)}`);
  // The raw frame below it still reads.
  await expect(page.getByRole('tabpanel', { name: 'Text' })).toContainText('destination:/topic/a\\qb');
  await saveScreenshot(page, 'views-stomp-invalid-detail');

  // The Field filter's form, and a decoded query with a mistake, as the user sees them.
  await page.getByRole('button', { name: /^Field/ }).click();
  await expect(page.getByRole('dialog').getByLabel('Field')).toBeVisible();
  await saveScreenshot(page, 'views-stomp-field-form');
  await page.keyboard.press('Escape');
  await page.getByLabel('Search mode').selectOption('decoded');
  await page.getByLabel('Search frames').fill("$.headers.destination =~ /prices");
  await expect(page.getByText(/^Invalid decoded query: at character \d+/)).toBeVisible();
  await saveScreenshot(page, 'views-stomp-query-problem');
});

test('a GraphQL subscription: its results linked without a latency, its complete with one, in the log and the detail pane; the JSON payload view whole', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('Subprotocols', { exact: true }).fill('graphql-transport-ws');
  await connect(page, `${base}/graphql`);
  await expect(stateOf(page)).toContainText('open');

  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('graphql');
  await composer(page).getByLabel('GraphQL message').selectOption('connection_init');
  await expect(page.getByTestId('protocol-preview')).toContainText('connection_init');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(summaries(page).filter({ hasText: 'connection_ack' })).toHaveCount(1);
  await composer(page).getByLabel('GraphQL message').selectOption('subscribe');
  await composer(page).getByLabel('Query').fill('subscription OnPrice { price { symbol price at } }');
  await expect(page.getByTestId('protocol-preview')).toContainText('subscribe #1');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();

  // Each result is linked to its subscribe, but a stream item's time since the subscribe is no
  // response time: no latency in the cell, the tooltip says it, labelled.
  const results = summaries(page).filter({ hasText: /^↩ next #1 \(subscription OnPrice\)/ });
  await expect(results).toHaveCount(2);
  for (const cell of await results.all()) {
    await expect(cell.locator('.summary-latency')).toHaveCount(0);
    await expect(cell).toHaveAttribute('title', /, \d+ ms since its request #3 \(a stream item: not a response time\)$/);
  }
  // The complete answers the subscribe: its latency apart at the cell's right end and whole
  // (appended to the summary it was cut off).
  const complete = summaries(page).filter({ hasText: /^↩ complete #1/ });
  await expect(complete).toHaveCount(1);
  const latency = complete.locator('.summary-latency');
  await expect(latency).toHaveText(/^\+\d+ ms$/);
  const [cellBox, latencyBox] = [await complete.boundingBox(), await latency.boundingBox()];
  if (!cellBox || !latencyBox) throw new Error('the cell or its latency is not laid out');
  expect(latencyBox.x + latencyBox.width).toBeLessThanOrEqual(cellBox.x + cellBox.width + 0.5);
  await expect(complete).toHaveAttribute('title', /, \d+ ms after #3$/);
  await saveScreenshot(page, 'views-graphql-log');

  await frames(page).locator('[role="row"]').filter({ hasText: '↩ next #1' }).last().click();
  const conversation = page.getByTestId('conversation');
  await expect(conversation.getByRole('listitem')).toHaveCount(4);
  // Only the complete (an answer) has a latency; the results' time since the subscribe is on their role's tooltip.
  await expect(conversation.getByTestId('latency')).toHaveText(['', '', '', /^\+\d+ ms$/]);
  await expect(conversation.locator('.role').nth(1)).toHaveAttribute('title', /^\d+ ms since the request: a stream item/);

  // The decoded tree is above: the raw part opens on the text as sent (not the same tree again).
  await expect(page.getByRole('tab', { name: 'Text' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Text' })).toContainText('{"type":"next","id":"1","payload":');
  await saveScreenshot(page, 'views-graphql-detail');
  // The payload is JSON: its Tree | Pretty choice is whole, not cut behind Copy (it was at 1280 px).
  await page.getByRole('tab', { name: 'JSON' }).click();
  const pretty = page.getByRole('group', { name: 'JSON layout' }).getByRole('button', { name: 'Pretty' });
  const copy = page.getByRole('button', { name: 'Copy JSON' });
  const [prettyBox, copyBox] = [await pretty.boundingBox(), await copy.boundingBox()];
  if (!prettyBox || !copyBox) throw new Error('Pretty or Copy JSON is not laid out');
  // Beside each other on one line at 1280 px (the toolbar wraps only in a narrower pane).
  expect(prettyBox.x + prettyBox.width, `Pretty ${JSON.stringify(prettyBox)} overlaps Copy JSON ${JSON.stringify(copyBox)}`).toBeLessThanOrEqual(copyBox.x);
  expect(Math.abs(prettyBox.y + prettyBox.height / 2 - (copyBox.y + copyBox.height / 2))).toBeLessThan(4);
  // The choice itself is not squeezed (it clipped Pretty to "Prett").
  const layout = page.getByRole('group', { name: 'JSON layout' });
  expect(await layout.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await saveScreenshot(page, 'views-graphql-json');
});

test('MQTT over WebSocket: CONNECT and SUBSCRIBE from the composer, the SUBACK linked with its latency, a reserved packet type in words', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('Subprotocols', { exact: true }).fill('mqtt');
  await connect(page, `${base}/mqtt`);
  await expect(stateOf(page)).toContainText('open');
  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('mqtt');
  await expect(page.getByTestId('protocol-preview')).toContainText('CONNECT client=tunnelscope');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(summaries(page).filter({ hasText: /^CONNACK/ })).toHaveCount(1);
  await composer(page).getByLabel('MQTT packet').selectOption('subscribe');
  await composer(page).getByLabel('Topic', { exact: true }).fill('sensors/#');
  await composer(page).getByLabel('QoS').selectOption('1');
  await expect(page.getByTestId('protocol-preview')).toContainText('SUBSCRIBE sensors/#');
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();

  const suback = summaries(page).filter({ hasText: /^↩ SUBACK/ });
  await expect(suback).toHaveCount(1);
  await expect(suback.locator('.summary-latency')).toHaveText(/^\+\d+ ms$/);
  await expect(summaries(page).filter({ hasText: /^PUBLISH sensors\/1 QoS 1/ })).toHaveCount(1);
  const invalid = frames(page).locator('.c-summary.invalid');
  await expect(invalid).toHaveCount(1);
  await expect(invalid).toHaveText(/^⚠ \S/);
  await expect(invalid).toHaveAttribute('title', /^not valid MQTT: /);
  await saveScreenshot(page, 'views-mqtt-log');

  await frames(page).locator('[role="row"]').filter({ hasText: '↩ SUBACK' }).click();
  const conversation = page.getByTestId('conversation');
  await expect(conversation.getByRole('listitem')).toHaveCount(2);
  await expect(conversation.getByTestId('latency').nth(1)).toHaveText(/^\+\d+ ms$/);
  await saveScreenshot(page, 'views-mqtt-detail');
  await invalid.click();
  await expect(page.getByTestId('decode-problem')).toHaveText(/^not valid MQTT: /);
  await saveScreenshot(page, 'views-mqtt-invalid');
});

test('SignalR JSON hub: invocations, a completion linked to its invocation, several records in one message, a broken record', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, `${base}/signalr`);
  await expect(stateOf(page)).toContainText('open');
  await page.getByLabel('Message', { exact: true }).fill('{"protocol":"json","version":1}\u001e');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(summaries(page)).toHaveCount(SIGNALR.length + 1);
  await expect(page.getByLabel('Decode', { exact: true }).locator('option[value="auto"]')).toHaveText('Auto: SignalR?');
  await expect(summaries(page).filter({ hasText: /^↩ / }).first()).toBeVisible();
  const invalid = frames(page).locator('.c-summary.invalid');
  await expect(invalid).toHaveCount(1);
  await expect(invalid).toHaveAttribute('title', /^not valid SignalR: /);
  await saveScreenshot(page, 'views-signalr-log');
  await frames(page).locator('[role="row"]').filter({ hasText: /ReceiveMessage/ }).first().click();
  await expect(page.getByTestId('decoded-frame')).toContainText("2 messages: invoke 'ReceiveMessage' (3 args) · ping");
  // A small message's tree starts open to its values (it showed only "0: {4 keys}").
  await expect(page.getByTestId('decoded-frame')).toContainText('"room": "general"');
  // Its arguments in sight without scrolling: the tree was cut at half the pane while the raw text below had room.
  await expect(page.getByTestId('decoded-frame').getByText('1733400000')).toBeInViewport({ ratio: 1 });
  // The raw text's record separators read as escapes, each whole on its line ("\x1" and "e" were split at a line's end).
  const separators = page.getByRole('tabpanel', { name: 'Text' }).locator('.ctl');
  await expect(separators).toHaveText(['\\x1e', '\\x1e']);
  for (const separator of await separators.all()) {
    await expect(separator).toHaveAttribute('title', 'RS (0x1e)');
    expect((await separator.boundingBox())?.height ?? 0, 'one line high').toBeLessThan(20);
  }
  await saveScreenshot(page, 'views-signalr-detail');
});

test('Socket.IO binary events: the placeholder and its attachments read as one event, the parts before the last muted', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, socketIoUrl);
  await expect(stateOf(page)).toContainText('open');
  await page.getByLabel('Message', { exact: true }).fill('40');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  // open, connect, connected, then 'file' (placeholder + 1 attachment) and 'pair' (placeholder + 2).
  await expect(summaries(page)).toHaveCount(3 + 2 + 3);
  await expect(frames(page).locator('.c-summary.partial')).toHaveCount(3);
  await saveScreenshot(page, 'views-socketio-binary-log');
  await frames(page).locator('[role="row"]').last().click();
  await expect(page.getByTestId('decoded-frame')).toContainText("'pair'");
  await saveScreenshot(page, 'views-socketio-binary-detail');
  await frames(page).locator('[role="row"]').filter({ has: page.locator('.c-summary.partial') }).first().click();
  await expect(page.getByTestId('decoded-frame')).toContainText('continues in a later message');
  await saveScreenshot(page, 'views-socketio-binary-partial');
});

test("the composer's form for each protocol: what will go out said in the log's words", async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, `${base}/echo`);
  await expect(stateOf(page)).toContainText('open');
  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
  const preview = page.getByTestId('protocol-preview');
  const shoot = (name: string): Promise<Buffer> => composer(page).screenshot({ path: path.join(screenshotDir, `views-composer-${name}.png`) });

  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('stomp');
  await composer(page).getByLabel('Command', { exact: true }).selectOption('SEND');
  await composer(page).getByLabel('Header 1 value').fill('/queue/orders');
  await composer(page).getByLabel('Body').fill('{"sku":"A-1","qty":2}');
  await expect(preview).toContainText('SEND /queue/orders');
  await shoot('stomp');

  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('socketio');
  await composer(page).getByLabel('Event', { exact: true }).fill('chat');
  await composer(page).getByLabel('Arguments (a JSON array)').fill('["hello", {"room": 1}]');
  await expect(preview).toContainText("emit 'chat'");
  await shoot('socketio');

  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('mqtt');
  await expect(preview).toContainText('CONNECT');
  await shoot('mqtt-connect');
  await composer(page).getByLabel('MQTT packet').selectOption('publish');
  await composer(page).getByLabel('Topic', { exact: true }).fill('sensors/1');
  await composer(page).getByLabel('QoS').selectOption('1');
  await composer(page).getByLabel('Payload').fill('21.5');
  await expect(preview).toContainText('PUBLISH sensors/1 QoS 1');
  await shoot('mqtt-publish');

  await composer(page).getByLabel('Protocol', { exact: true }).selectOption('graphql');
  await composer(page).getByLabel('Query').fill('subscription OnPrice { price }');
  await expect(preview).toContainText('subscribe #1');
  await shoot('graphql');

  for (const protocol of ['msgpack', 'cbor'] as const) {
    await composer(page).getByLabel('Protocol', { exact: true }).selectOption(protocol);
    await composer(page).getByLabel('Value (JSON)').fill('{"event":"chat","n":1}');
    await expect(preview).toContainText('map {event, n}');
    await shoot(protocol);
  }
  await saveScreenshot(page, 'views-composer-page');
});
