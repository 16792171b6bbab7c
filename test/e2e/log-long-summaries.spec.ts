/**
 * Long summaries in the frame log, every protocol (QA: a RabbitMQ STOMP MESSAGE's message-id,
 * "T_sub-0@@session-9vKZbE6cQbYx2Gq1sL0mHQ@@1", was reported to push the row's size out of view).
 * At 1024×768 and 1440×900, with a row selected (the detail pane beside the log), for STOMP,
 * Socket.IO, MQTT, GraphQL, SignalR, MessagePack, CBOR and Protocol Buffers frames whose summaries
 * carry long ids, topics, event names, namespaces and keys: in every row the Time and Size cells
 * are shown whole, inside the row's box and the rows' visible width, with nothing drawn over them
 * (the point at each one's middle is that cell); the Summary cell ends before the row's edge, and
 * one cut ends in "…" with its whole text in its tooltip. The selected frame's whole summary is in
 * the detail pane, whose header (size included) stays inside the pane; where the frame is in a
 * conversation, the conversation's rows keep their columns: every summary starts at the same place
 * and every latency is whole (as flex rows of fixed widths a long summary shrank the cells before
 * it, so each row's summary started elsewhere). A close whose reason is one long word wraps inside
 * the detail header. A scripted `ws` server on 127.0.0.1 (port 0) answers what the page sends.
 * Screenshots: test-results/screenshots/long-summaries-<protocol>-<width>.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { Encoder as CborEncoder } from 'cbor-x';
import mqttPacket from 'mqtt-packet';
import { Packr } from 'msgpackr';
import protobuf from 'protobufjs';
import type { WebSocket } from 'ws';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const RS = '\u001e';
const SESSION = 'session-9vKZbE6cQbYx2Gq1sL0mHQ';
const NAMESPACE = '/tenants/eu-west-1/organisation-acme-corporation/notifications';
const EVENT = 'order-status-changed-for-customer-account-with-a-long-name';
const TOPIC = 'factories/building-7/floor-3/production-line-12/station-4/sensors/temperature/celsius';
const GRAPHQL_ID = 'price-updates-for-instrument-ACME-CORP-0001';
const TARGET = 'SubscribeToOrderStatusChangesForCustomerAccountWithALongName';
/** 110 bytes, no space: a close reason that can only wrap anywhere. */
const CLOSE_REASON = `session-expired:${'x'.repeat(94)}`;

const packr = new Packr({ useRecords: false });
const cbor = new CborEncoder({ useRecords: false });
const LONG_MAP = { event: EVENT, customerAccountIdentifier: 'acct-00012345', organisationDisplayName: 'ACME', text: 'hello', tags: ['a'] };
const Reading = protobuf
  .parse('syntax = "proto3";\nmessage Reading {\n  string sensorIdentifier = 1;\n  uint32 a = 2;\n  uint32 b = 3;\n  string c = 4;\n  uint32 d = 5;\n  string e = 6;\n  uint32 f = 7;\n  string g = 8;\n}\n', { keepCase: true })
  .root.lookupType('Reading');

const stompMessage = (i: number, destination = '/topic/prices'): string =>
  `MESSAGE\nsubscription:sub-0\ndestination:${destination}\nmessage-id:T_sub-0@@${SESSION}@@${i}\nredelivered:false\ncontent-type:application/json\ncontent-length:14\n\n{"price":12.5}\u0000`;

/** What the server sends at once on each path. */
const ON_OPEN: Record<string, Array<string | Buffer>> = {
  stomp: [`CONNECTED\nserver:RabbitMQ/3.13.7\nsession:${SESSION}\nheart-beat:0,0\nversion:1.2\n\n\u0000`],
  socketio: ['0{"sid":"lUKJwz3YJTr4mJ3sAAAB","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'],
  graphql: ['{"type":"connection_ack"}'],
  signalr: [],
  mqtt: [],
  msgpack: [packr.pack(LONG_MAP), packr.pack({ event: 'tick', n: 2 })],
  cbor: [cbor.encode(LONG_MAP), cbor.encode({ event: 'tick', n: 2 })],
  protobuf: [Buffer.from(Reading.encode(Reading.create({ sensorIdentifier: `sensor-${SESSION}`, a: 1, b: 2, c: 'c', d: 4, e: 'e', f: 6, g: 'g' })).finish())],
};

/** What the server answers to the page's messages on each path. */
function answer(protocol: string, socket: WebSocket, data: Buffer): void {
  const text = data.toString();
  if (protocol === 'stomp') {
    if (text.startsWith('DISCONNECT')) {
      socket.close(1008, CLOSE_REASON);
      return;
    }
    socket.send('RECEIPT\nreceipt-id:r-subscribe-prices-for-all-instruments-1\n\n\u0000');
    for (let i = 1; i <= 3; i++) socket.send(stompMessage(i));
    socket.send(stompMessage(4, '/topic/sensors/building-7/floor-3/room-12/temperature/celsius/averaged-over-five-minutes'));
  } else if (protocol === 'socketio') {
    if (text.startsWith('40')) {
      socket.send(`40${NAMESPACE},{"sid":"Xk3-sid-0123456789"}`);
      socket.send(`42${NAMESPACE},["${EVENT}",{"id":1,"status":"shipped"}]`);
    } else if (text.startsWith('42')) {
      socket.send(`43${NAMESPACE},17[{"ok":true,"status":"shipped"}]`);
    }
  } else if (protocol === 'graphql') {
    const id = JSON.stringify(GRAPHQL_ID);
    if (!text.includes('"subscribe"')) return;
    socket.send(`{"type":"next","id":${id},"payload":{"data":{"price":{"symbol":"ACME","price":12.5}}}}`);
    socket.send(`{"type":"error","id":${id},"payload":[{"message":"The field 'priceHistoryForInstrumentOverTheLastThirtyDays' is not available on type Price"}]}`);
  } else if (protocol === 'signalr') {
    if (text.includes('"protocol"')) {
      socket.send(`{}${RS}`);
      socket.send(`{"type":1,"target":"ReceiveOrderStatusChangedNotificationForCustomerAccount","arguments":["acct-00012345",{"status":"shipped"}]}${RS}`);
    } else {
      socket.send(`{"type":3,"invocationId":"42","result":{"ok":true}}${RS}`);
    }
  } else if (protocol === 'mqtt') {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connect') socket.send(mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
      if (packet.cmd !== 'subscribe') return;
      socket.send(mqttPacket.generate({ cmd: 'suback', messageId: packet.messageId, granted: [1] }));
      socket.send(mqttPacket.generate({ cmd: 'publish', topic: TOPIC, payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 7, retain: true, dup: false }));
    });
    parser.parse(data);
  }
}

let host: WebHostProcess;
let wss: LocalWss | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket, request) => {
    const protocol = /^\/([a-z]+)/.exec(request.url ?? '')?.[1] ?? '';
    for (const frame of ON_OPEN[protocol] ?? []) socket.send(frame);
    socket.on('message', (data: Buffer) => answer(protocol, socket, data));
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

function composer(page: Page) {
  return page.getByRole('region', { name: 'Composer' });
}

async function sendText(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
}

/** The page's part: what a protocol sends from the page before its rows are read, and the rows' count then. */
const SCRIPTS: Record<string, { decode: string; rows: number; subprotocol?: string; run?: (page: Page) => Promise<void> }> = {
  stomp: {
    decode: 'stomp',
    rows: 7,
    run: (page) => sendText(page, 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\nreceipt:r-subscribe-prices-for-all-instruments-1\n\n\u0000'),
  },
  socketio: {
    decode: 'socketio',
    rows: 6,
    run: async (page) => {
      await sendText(page, `40${NAMESPACE},`);
      await expect(frames(page).getByRole('row').filter({ hasText: EVENT })).toHaveCount(1);
      await sendText(page, `42${NAMESPACE},17["get-order-status-for-customer-account-with-a-long-name",{"id":1}]`);
    },
  },
  graphql: {
    decode: 'graphql-ws',
    rows: 5,
    subprotocol: 'graphql-transport-ws',
    run: async (page) => {
      await sendText(page, '{"type":"connection_init"}');
      await sendText(page, `{"type":"subscribe","id":"${GRAPHQL_ID}","payload":{"query":"subscription OnPriceChangedForInstrumentWithAVeryLongOperationName { price { symbol price } }"}}`);
    },
  },
  signalr: {
    decode: 'signalr',
    rows: 5,
    run: async (page) => {
      await sendText(page, `{"protocol":"json","version":1}${RS}`);
      await expect(frames(page).getByRole('row').filter({ hasText: 'ReceiveOrderStatus' })).toHaveCount(1);
      await sendText(page, `{"type":1,"invocationId":"42","target":"${TARGET}","arguments":["acct-00012345"]}${RS}`);
    },
  },
  mqtt: {
    decode: 'mqtt',
    rows: 5,
    subprotocol: 'mqtt',
    run: async (page) => {
      await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
      await composer(page).getByLabel('Protocol', { exact: true }).selectOption('mqtt');
      await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
      await expect(frames(page).getByRole('row').filter({ hasText: 'CONNACK' })).toHaveCount(1);
      await composer(page).getByLabel('MQTT packet').selectOption('subscribe');
      await composer(page).getByLabel('Topic', { exact: true }).fill(`${TOPIC}/#`);
      await composer(page).getByLabel('QoS').selectOption('1');
      await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
    },
  },
  msgpack: { decode: 'msgpack', rows: 2 },
  cbor: { decode: 'cbor', rows: 2 },
  protobuf: { decode: 'protobuf', rows: 1 },
};

/** A laid-out element, as the page function below reads it (the e2e build has no DOM types). */
interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
}
interface PageElement {
  className: string;
  title: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): Rect;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  contains(other: PageElement | null): boolean;
}
interface PageGlobals {
  document: { elementFromPoint(x: number, y: number): PageElement | null };
  getComputedStyle(element: PageElement): { textOverflow: string };
}

/** What is wrong with the log's rows: one line per problem. */
function rowProblems(page: Page): Promise<string[]> {
  return frames(page).evaluate((grid: PageElement) => {
    const globals = globalThis as unknown as PageGlobals;
    const problems: string[] = [];
    const scroller = grid.querySelector('[data-frame-scroller]');
    if (!scroller) return ['no rows scroller'];
    const edge = scroller.getBoundingClientRect().left + scroller.clientWidth;
    const rows = Array.from(grid.querySelectorAll('.spacer > .row:not(.placeholder)'));
    if (rows.length === 0) problems.push('no rows');
    for (const row of rows) {
      const box = row.getBoundingClientRect();
      const summary = row.querySelector('.c-summary');
      const words = row.querySelector('.summary-text');
      const name = `row "${words?.textContent ?? ''}"`;
      for (const column of ['c-time', 'c-size']) {
        const cell = row.querySelector(`.${column}`);
        if (!cell) {
          problems.push(`${name}: no ${column}`);
          continue;
        }
        const c = cell.getBoundingClientRect();
        if (c.width < 1) problems.push(`${name}: ${column} has no width`);
        if (c.left < box.left - 0.5 || c.right > box.right + 0.5 || c.right > edge + 0.5) problems.push(`${name}: ${column} ${c.left}-${c.right} outside the row ${box.left}-${box.right} (visible to ${edge})`);
        if (cell.scrollWidth > cell.clientWidth) problems.push(`${name}: ${column} "${cell.textContent ?? ''}" cut (${cell.scrollWidth} > ${cell.clientWidth})`);
        const atMiddle = globals.document.elementFromPoint((c.left + c.right) / 2, (c.top + c.bottom) / 2);
        if (!cell.contains(atMiddle)) problems.push(`${name}: ${column} covered by ${atMiddle?.className ?? 'nothing'}`);
        if (summary && summary.getBoundingClientRect().left < c.right - 0.5) problems.push(`${name}: the summary starts over ${column}`);
      }
      if (!summary || !words) {
        problems.push(`${name}: no summary`);
        continue;
      }
      const s = summary.getBoundingClientRect();
      if (s.right > box.right + 0.5 || s.right > edge + 0.5) problems.push(`${name}: summary ends at ${s.right}, past the row (${box.right}, visible to ${edge})`);
      if (words.scrollWidth > words.clientWidth) {
        if (globals.getComputedStyle(words).textOverflow !== 'ellipsis') problems.push(`${name}: cut without an ellipsis`);
        const whole = (words.textContent ?? '').replace(/^[⚠↩≈] /, '');
        if (!summary.title.includes(whole)) problems.push(`${name}: cut, its tooltip "${summary.title}" lacks the whole text`);
      }
    }
    return problems;
  });
}

/** The detail pane's header and conversation lists: what runs past the pane or breaks a column. */
function detailProblems(page: Page): Promise<string[]> {
  return page.getByRole('region', { name: 'Frame detail' }).evaluate((pane: PageElement) => {
    const problems: string[] = [];
    const edge = pane.getBoundingClientRect();
    const head = pane.querySelector('header.head');
    if (!head) return ['no header'];
    for (const part of Array.from(head.querySelectorAll(':scope > *'))) {
      const b = part.getBoundingClientRect();
      if (b.left < edge.left - 0.5 || b.right > edge.right + 0.5) problems.push(`header "${part.textContent ?? ''}" ${b.left}-${b.right} outside the pane ${edge.left}-${edge.right}`);
    }
    for (const list of Array.from(pane.querySelectorAll('[data-testid="conversation"] ol'))) {
      const box = list.getBoundingClientRect();
      const starts = new Set<number>();
      for (const item of Array.from(list.querySelectorAll(':scope > li:not(.note):not(.attempt-start)'))) {
        for (const cell of Array.from(item.querySelectorAll(':scope > *'))) {
          const b = cell.getBoundingClientRect();
          if (b.right > box.right + 0.5) problems.push(`conversation cell "${cell.textContent ?? ''}" ends at ${b.right}, past the list (${box.right})`);
          if (!cell.className.includes('row-summary') && cell.scrollWidth > cell.clientWidth) problems.push(`conversation cell "${cell.textContent ?? ''}" cut`);
        }
        const summary = item.querySelector('.row-summary');
        if (summary) starts.add(Math.round(summary.getBoundingClientRect().left));
      }
      if (starts.size > 1) problems.push(`the conversation's summaries start at ${[...starts].join(', ')}`);
    }
    return problems;
  });
}

for (const [width, height] of [
  [1024, 768],
  [1440, 900],
] as const) {
  for (const [protocol, script] of Object.entries(SCRIPTS)) {
    test(`${protocol} at ${width}×${height}: Time and Size stay whole, the summary gives way`, async ({ page }) => {
      await page.setViewportSize({ width, height });
      await openInspector(page, host.url);
      if (script.subprotocol) {
        await page.getByRole('button', { name: /^Connection options/ }).click();
        await page.getByLabel('Subprotocols', { exact: true }).fill(script.subprotocol);
      }
      await connect(page, `${wss?.base ?? ''}/${protocol}-${width}`);
      await expect(stateOf(page)).toContainText('open');
      await page.getByLabel('Decode', { exact: true }).selectOption(script.decode);
      await script.run?.(page);
      const rows = frames(page).locator('.spacer > .row:not(.placeholder)');
      await expect(rows).toHaveCount(script.rows);
      // Every row decoded ("…" while asked).
      await expect(frames(page).locator('.c-summary.waiting')).toHaveCount(0);

      // The row with the longest summary, selected: the detail pane takes its room beside the log.
      const texts = await rows.locator('.summary-text').allTextContents();
      const longest = texts.reduce((best, text, i) => (text.length > (texts[best] ?? '').length ? i : best), 0);
      await rows.nth(longest).click();
      const whole = (texts[longest] ?? '').replace(/^[⚠↩≈] /, '');
      await expect(page.getByTestId('decoded-frame').locator('.summary')).toHaveText(whole);
      await expect.poll(() => rowProblems(page), { message: `${protocol} at ${width} px: the log's rows` }).toEqual([]);
      await expect.poll(() => detailProblems(page), { message: `${protocol} at ${width} px: the detail pane` }).toEqual([]);
      await saveScreenshot(page, `long-summaries-${protocol}-${width}`);

      // Each conversation the other rows are in: its list keeps its columns too.
      for (let i = 0; i < script.rows; i++) {
        await rows.nth(i).click();
        await expect(page.getByTestId('conversation-finding')).toHaveCount(0);
        await expect.poll(() => detailProblems(page), { message: `${protocol} at ${width} px: row ${i + 1}'s detail` }).toEqual([]);
      }

      if (protocol === 'stomp') {
        // A close whose reason is one long word: wrapped inside the detail header.
        await sendText(page, 'DISCONNECT\n\n\u0000');
        await expect(stateOf(page)).toContainText('closed');
        await frames(page).locator('.spacer > .row.op-close.dir-in').click();
        await expect(page.getByRole('region', { name: 'Frame detail' }).locator('.close')).toContainText(CLOSE_REASON);
        await expect.poll(() => detailProblems(page), { message: `the close's header at ${width} px` }).toEqual([]);
        await expect.poll(() => rowProblems(page)).toEqual([]);
        await saveScreenshot(page, `long-summaries-close-${width}`);
      }
    });
  }
}
