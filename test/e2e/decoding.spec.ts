/**
 * Reading and writing protocols in the app (issue 14), in Chromium through the web host at
 * 1280×800: against a real socket.io v4 server (started here on 127.0.0.1) the log's Summary
 * column reads the Engine.IO open and the Socket.IO packets, the composer joins the namespace
 * and emits 'chat' with an ack id, the ack is linked to its emit with the latency, "Follow this
 * conversation" narrows the log to the two, and a Decoded search finds the event. Against a
 * scripted STOMP server (a `ws` server that answers as a broker does: CONNECTED, RECEIPT, one
 * MESSAGE) the composer sends CONNECT and a SUBSCRIBE whose frame the server receives as built,
 * and a frame that is not valid STOMP is shown as such. Screenshots: test-results/screenshots/decode-*.png.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

interface TestServer {
  url: string;
  /** Text messages the server received, in order. */
  received: string[];
  close(): Promise<void>;
}

/** socket.io v4, WebSocket transport only: `chat` is acknowledged and echoed back as an event. */
async function startSocketIo(): Promise<TestServer> {
  const httpServer = http.createServer();
  const io = new SocketIoServer(httpServer, { transports: ['websocket'] });
  const received: string[] = [];
  io.on('connection', (socket) => {
    socket.on('chat', (text: unknown, ack: unknown) => {
      received.push(String(text));
      if (typeof ack === 'function') ack({ ok: true, n: received.length });
      socket.emit('chat', `echo ${String(text)}`);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close();
        httpServer.close(() => resolve());
      }),
  };
}

/** A STOMP server as far as this test needs one: the answers a broker gives, nothing stored. */
async function startStomp(): Promise<TestServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  const received: string[] = [];
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    socket.on('message', (data) => {
      const text = data.toString();
      received.push(text);
      const command = text.split('\n')[0];
      const header = (name: string): string | undefined => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1];
      if (command === 'CONNECT' || command === 'STOMP') socket.send('CONNECTED\nversion:1.2\nheart-beat:0,0\nserver:scripted/1\n\n\u0000');
      if (command === 'SUBSCRIBE') {
        const receipt = header('receipt');
        if (receipt !== undefined) socket.send(`RECEIPT\nreceipt-id:${receipt}\n\n\u0000`);
        socket.send(`MESSAGE\nsubscription:${header('id') ?? ''}\nmessage-id:m-1\ndestination:${header('destination') ?? ''}\ncontent-type:application/json\n\n{"price":12.5}\u0000`);
        // Then a frame no broker would send: shown as not valid STOMP, the view keeps working.
        socket.send('BOGUS\n\n\u0000');
      }
    });
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/stomp`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

let host: WebHostProcess;
let socketIo: TestServer;
let stomp: TestServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  socketIo = await startSocketIo();
  stomp = await startStomp();
});

test.afterAll(async () => {
  await host?.stop();
  await socketIo?.close();
  await stomp?.close();
});

/** The Summary cells of the log, top to bottom. */
function summaries(page: Page): Locator {
  return frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary');
}

async function chooseProtocolFormat(page: Page, protocol: string): Promise<void> {
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer.getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer.getByLabel('Protocol', { exact: true }).selectOption(protocol);
}

async function sendFromComposer(page: Page, willSend: string): Promise<void> {
  await expect(page.getByTestId('protocol-preview')).toContainText(willSend);
  await page.getByRole('region', { name: 'Composer' }).getByRole('button', { name: 'Send', exact: true }).click();
}

test('Socket.IO: decoded rows, an emit with an ack from the composer, its conversation and a decoded search', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, socketIo.url);
  await expect(stateOf(page)).toContainText('open');
  // The Engine.IO open packet, recognised from the URL (EIO=4): a guess, said so.
  await expect(summaries(page).first()).toContainText(/^open sid=\S+ ping every 25000 ms$/);
  const picker = page.getByLabel('Decode', { exact: true });
  await expect(picker).toHaveValue('auto');
  await expect(picker.locator('option[value="auto"]')).toHaveText('Auto: Socket.IO?');
  await expect(picker).toHaveAttribute('title', 'Socket.IO, a guess: the URL has EIO=4. Pick it to confirm, or another.');

  // Join the main namespace, then emit 'chat' asking for ack 1.
  await chooseProtocolFormat(page, 'socketio');
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer.getByLabel('Socket.IO packet').selectOption('connect');
  await sendFromComposer(page, 'connect /');
  await expect(summaries(page).filter({ hasText: /^connected \/ sid=/ })).toHaveCount(1);
  await composer.getByLabel('Socket.IO packet').selectOption('emit');
  await composer.getByLabel('Event', { exact: true }).fill('chat');
  await composer.getByLabel('Ack id', { exact: true }).fill('1');
  await composer.getByLabel('Arguments (a JSON array)').fill('["hello from the composer"]');
  await sendFromComposer(page, "emit 'chat' ack 1");

  await expect(summaries(page).filter({ hasText: "emit 'chat' ack 1" })).toHaveCount(1);
  await expect(summaries(page).filter({ hasText: '↩ ack 1 (1 arg)' })).toHaveCount(1);
  await expect(summaries(page).filter({ hasText: /^emit 'chat'$/ })).toHaveCount(1);
  expect(socketIo.received).toEqual(['hello from the composer']);
  await saveScreenshot(page, 'decode-socketio-log');

  // The ack in the detail pane: its decoded value, and the emit it answers with the latency.
  await frames(page).locator('[role="row"]').filter({ hasText: '↩ ack 1' }).click();
  const decoded = page.getByTestId('decoded-frame');
  await expect(decoded).toContainText('Socket.IO');
  await expect(decoded).toContainText('"ACK"');
  const conversation = page.getByTestId('conversation');
  await expect(conversation).toContainText('Conversation: ack 1');
  await expect(conversation.getByRole('listitem')).toHaveCount(2);
  await expect(conversation.getByTestId('latency').nth(1)).toHaveText(/^\+\d+(\.\d+)? (ms|s)$/);
  await saveScreenshot(page, 'decode-socketio-detail');

  // Follow this conversation: the log shows the emit and its ack only.
  await conversation.getByRole('button', { name: 'Follow this conversation' }).click();
  await expect(page.getByTestId('frame-count')).toContainText('2 shown of');
  // The latency apart at the cell's right end (textContent joins the two parts).
  await expect(summaries(page)).toHaveText(["emit 'chat' ack 1", /^↩ ack 1 \(1 arg\)\+\d+ ms$/]);
  await saveScreenshot(page, 'decode-socketio-follow');
  await page.getByRole('button', { name: 'Stop following the conversation' }).click();

  // A decoded search: the two chat events, and a bad query said with where it goes wrong.
  await page.getByLabel('Search mode').selectOption('decoded');
  await page.getByLabel('Search frames').fill("$.event = 'chat'");
  await expect(page.getByText(/Invalid decoded query: at character 9/)).toBeVisible();
  await page.getByLabel('Search frames').fill("$.event == 'chat'");
  await expect(page.getByTestId('match-count')).toContainText('of 2');
  await saveScreenshot(page, 'decode-socketio-search');
});

test('STOMP: CONNECT and SUBSCRIBE from the composer, the receipt linked, a bad frame in words', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, stomp.url);
  await expect(stateOf(page)).toContainText('open');

  await chooseProtocolFormat(page, 'stomp');
  const composer = page.getByRole('region', { name: 'Composer' });
  await composer.getByLabel('Command', { exact: true }).selectOption('CONNECT');
  await sendFromComposer(page, 'CONNECT / accept-version=1.2');
  await expect(summaries(page).filter({ hasText: 'CONNECTED version=1.2' })).toHaveCount(1);

  await composer.getByLabel('Command', { exact: true }).selectOption('SUBSCRIBE');
  await composer.getByLabel('Header 2 value').fill('/topic/prices');
  await composer.getByRole('button', { name: '+ Header' }).click();
  await composer.getByLabel('Header 3 name').fill('receipt');
  await composer.getByLabel('Header 3 value').fill('r-1');
  await sendFromComposer(page, 'SUBSCRIBE /topic/prices id=sub-0');

  // The receipt with the time since its SUBSCRIBE.
  await expect(summaries(page).filter({ hasText: /^↩ RECEIPT receipt-id=r-1\+\d+ ms$/ })).toHaveCount(1);
  await expect(summaries(page).filter({ hasText: '↩ MESSAGE /topic/prices 14 B subscription=sub-0 message-id=m-1' })).toHaveCount(1);
  // Not valid STOMP: the row leads with what is wrong, the tooltip says it whole.
  await expect(summaries(page).filter({ hasText: /^⚠ / })).toHaveText(['⚠ unknown command "BOGUS" at byte 0']);
  await expect(summaries(page).filter({ hasText: /^⚠ / })).toHaveAttribute('title', 'not valid STOMP: unknown command "BOGUS" at byte 0');
  expect(stomp.received[1]).toBe('SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\nreceipt:r-1\n\n\u0000');
  await saveScreenshot(page, 'decode-stomp-log');

  await frames(page).locator('[role="row"]').filter({ hasText: '⚠ unknown command' }).click();
  await expect(page.getByTestId('decode-problem')).toContainText('not valid STOMP');
  await expect(page.getByRole('tab', { name: 'Text' })).toBeVisible();
  await frames(page).locator('[role="row"]').filter({ hasText: '↩ RECEIPT' }).click();
  await expect(page.getByTestId('conversation')).toContainText('Conversation: receipt r-1');
  await saveScreenshot(page, 'decode-stomp-detail');

  // Filter by the decoded destination.
  await page.getByRole('button', { name: /^Field/ }).click();
  await page.getByRole('dialog').getByLabel('Field').selectOption('destination');
  await page.getByRole('dialog').getByLabel('Value').fill('/topic/prices');
  await page.getByRole('dialog').getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('frame-count')).toContainText('2 shown of');
  await saveScreenshot(page, 'decode-stomp-field');
});
