/**
 * Payload formats in the app (issue 14): MessagePack, CBOR, compressed payloads (gzip, zlib
 * deflate, brotli) and Base64 text (of JSON, and of gzip), in Chromium through the web host at
 * 1280×800, against a `ws` server started here on 127.0.0.1 (port 0; the URL's path says which
 * frames it sends, and it echoes what it receives). For each format the tab's Decode picker is
 * tried on Auto (MessagePack also with a subprotocol naming it), then set to the format: the
 * log's Summary column reads every row, one frame of each kind shows its decoded JSON tree above
 * its raw bytes, a broken frame of each kind reads "not valid <format>: what and where" (its row
 * "⚠ what and where", the format being the picker's), and a
 * decoded JSONPath search finds exactly the chat frames. The composer sends MessagePack and CBOR
 * built from JSON (a value that is not JSON is refused in words); the server's echo decodes back
 * to that JSON. Screenshots: test-results/screenshots/payload-*.png.
 */
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Decoder as CborDecoder, Encoder as CborEncoder } from 'cbor-x';
import { Packr, Unpackr } from 'msgpackr';
import { WebSocketServer, type RawData } from 'ws';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });
const cborEncoder = new CborEncoder({ useRecords: false });
const cborDecoder = new CborDecoder({ useRecords: false });

const HELLO = { event: 'chat', text: 'hello', n: 1 };
const TICK = { event: 'tick', n: 2 };
const BYE = { event: 'chat', text: 'bye', n: 3 };
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
/** 37 B: the size the wrapped formats' summaries give for HELLO once unwrapped (then its keys). */
const HELLO_SIZE = json(HELLO).byteLength;

/** The same bytes with the last one flipped: a zlib stream whose Adler-32 check fails. */
function lastByteFlipped(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0xff;
  return copy;
}

/** What the server sends on each path, in order: binary Buffers, text strings. */
const SCRIPTS: Record<string, (Buffer | string)[]> = {
  '/msgpack': [
    packr.pack(HELLO),
    packr.pack(TICK),
    packr.pack(BYE),
    // Cut after 5 of its 28 bytes.
    packr.pack(HELLO).subarray(0, 5),
    // A whole value, then a byte more.
    Buffer.concat([packr.pack(TICK), Buffer.from([0x00])]),
  ],
  '/cbor': [
    cborEncoder.encode(HELLO),
    cborEncoder.encode(TICK),
    cborEncoder.encode(BYE),
    Buffer.from(cborEncoder.encode(HELLO).subarray(0, 5)),
  ],
  '/compressed': [
    zlib.gzipSync(json(HELLO)),
    zlib.deflateSync(json(TICK)),
    zlib.brotliCompressSync(json(BYE)),
    zlib.deflateSync(json(HELLO)),
    zlib.brotliCompressSync(json(HELLO)),
    // gzip cut after 20 bytes; zlib deflate whose checksum is wrong; brotli cut after 10 bytes.
    zlib.gzipSync(json(HELLO)).subarray(0, 20),
    lastByteFlipped(zlib.deflateSync(json(HELLO))),
    zlib.brotliCompressSync(json(HELLO)).subarray(0, 10),
  ],
  '/base64': [
    json(HELLO).toString('base64'),
    zlib.gzipSync(json(TICK)).toString('base64'),
    zlib.gzipSync(json(BYE)).toString('base64'),
    // '!' is no Base64 character; Base64 of gzip cut after 20 bytes.
    'eyJldmVudCI6!mNoYXQifQ==',
    zlib.gzipSync(json(HELLO)).subarray(0, 20).toString('base64'),
  ],
};

interface PayloadServer {
  urlOf(path: keyof typeof SCRIPTS): string;
  /** The binary messages the server received on a path, in order. */
  receivedOn(path: keyof typeof SCRIPTS): Buffer[];
  close(): Promise<void>;
}

function asBuffer(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
}

/** Sends the path's script on connection, then echoes every message as it came (binary or text). */
async function startPayloadServer(): Promise<PayloadServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  const received = new Map<string, Buffer[]>();
  wss.on('connection', (socket, request) => {
    const path = request.url ?? '';
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      const bytes = asBuffer(data);
      if (isBinary) received.set(path, [...(received.get(path) ?? []), bytes]);
      socket.send(bytes, { binary: isBinary });
    });
    for (const message of SCRIPTS[path] ?? []) socket.send(message, { binary: typeof message !== 'string' });
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as AddressInfo;
  return {
    urlOf: (path) => `ws://127.0.0.1:${port}${path}`,
    receivedOn: (path) => received.get(path) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

let host: WebHostProcess;
let server: PayloadServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startPayloadServer();
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

function dataRows(page: Page): Locator {
  return frames(page).locator('[role="row"]:not(.placeholder):not(.head)');
}

/** The Summary cells of the log, top to bottom. */
function summaries(page: Page): Locator {
  return dataRows(page).locator('.c-summary');
}

function picker(page: Page): Locator {
  return page.getByLabel('Decode', { exact: true });
}

async function openScript(page: Page, path: keyof typeof SCRIPTS): Promise<void> {
  await openInspector(page, host.url);
  await connect(page, server.urlOf(path));
  await expect(stateOf(page)).toContainText('open');
  await expect(dataRows(page)).toHaveCount(SCRIPTS[path]?.length ?? 0);
}

/** Selects the log's row `index` (0 = the first frame) and returns the detail pane's decoded part. */
async function selectRow(page: Page, index: number): Promise<Locator> {
  await dataRows(page).nth(index).click();
  return page.getByTestId('decoded-frame');
}

/** The detail pane's Hex view of the selected frame's raw bytes. */
function hexView(page: Page): Locator {
  return page.getByRole('region', { name: /^Hex dump/ });
}

/** "de 00 03 a5": the first four bytes as the Hex view writes them. */
function firstBytesInHex(message: Buffer | string | undefined): string {
  return Buffer.from(message ?? '').subarray(0, 4).toString('hex').replace(/(..)(?!$)/g, '$1 ');
}

/** The decoded search narrowed to its matches: the Summary cells of the rows it found. */
async function searchDecoded(page: Page, query: string, count: number): Promise<void> {
  await page.getByLabel('Search mode').selectOption('decoded');
  await page.getByLabel('Search frames').fill(query);
  await expect(page.getByTestId('match-count')).toHaveText(new RegExp(`of ${count}$`));
  await page.getByRole('switch', { name: 'Only matches' }).check();
  await expect(page.getByTestId('frame-count')).toContainText(`${count} shown of`);
}

function composer(page: Page): Locator {
  return page.getByRole('region', { name: 'Composer' });
}

/** The composer's Protocol format on MessagePack or CBOR, its value typed as JSON. */
async function typeProtocolValue(page: Page, protocol: 'msgpack' | 'cbor', value: string): Promise<void> {
  await composer(page).getByRole('button', { name: 'Protocol', exact: true }).click();
  await composer(page).getByLabel('Protocol', { exact: true }).selectOption(protocol);
  await composer(page).getByLabel('Value (JSON)').fill(value);
}

async function sendFromComposer(page: Page, protocol: 'msgpack' | 'cbor', value: string, willSend: string): Promise<void> {
  await typeProtocolValue(page, protocol, value);
  await expect(page.getByTestId('protocol-preview')).toContainText(willSend);
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
}

/** Auto finds no protocol in MessagePack or CBOR bytes (they have no signature): nothing decoded, said so. */
async function expectAutoFindsNothing(page: Page): Promise<void> {
  await expect(picker(page)).toHaveValue('auto');
  await expect(picker(page).locator('option[value="auto"]')).toHaveText('Auto');
  await expect(picker(page)).toHaveAttribute('title', /^No protocol recognised yet/);
  await expect(frames(page).getByRole('columnheader', { name: 'Summary' })).toHaveCount(0);
}

test('MessagePack: rows, the tree beside the bytes, broken frames in words, a query search, the composer from JSON', async ({ page }) => {
  await openScript(page, '/msgpack');
  await expectAutoFindsNothing(page);

  await picker(page).selectOption('msgpack');
  await expect(summaries(page)).toHaveText([
    'MessagePack map {event, text, n}',
    'MessagePack map {event, n}',
    'MessagePack map {event, text, n}',
    // A frame that is not valid leads with what is wrong (the picker names the protocol; the tooltip says "not valid MessagePack: …").
    /^⚠ the message \(5 B\) ends before its value does\b.*\(truncated, or a length is wrong\)$/,
    '⚠ the value ends at byte 17 of 18; the bytes after it are left over',
  ]);
  await expect(summaries(page).nth(4)).toHaveAttribute('title', 'not valid MessagePack: the value ends at byte 17 of 18; the bytes after it are left over');
  await saveScreenshot(page, 'payload-msgpack-log');

  const decoded = await selectRow(page, 0);
  await expect(decoded).toContainText('MessagePack map {event, text, n}');
  await expect(decoded).toContainText('"event": "chat"');
  await expect(decoded).toContainText('"text": "hello"');
  await page.getByRole('tab', { name: 'Hex' }).click();
  await expect(hexView(page)).toContainText(firstBytesInHex(SCRIPTS['/msgpack']?.[0]));

  await selectRow(page, 3);
  await expect(page.getByTestId('decode-problem')).toHaveText(/^not valid MessagePack: the message \(5 B\) ends before its value does/);
  await saveScreenshot(page, 'payload-msgpack-broken');

  await searchDecoded(page, "$.event == 'chat'", 2);
  await expect(summaries(page)).toHaveText(['MessagePack map {event, text, n}', 'MessagePack map {event, text, n}']);
  await page.getByRole('switch', { name: 'Only matches' }).uncheck();

  // From JSON to MessagePack: the server receives that value, and its echo decodes back to it.
  const sent = { event: 'chat', text: 'from the composer', tags: ['a', 'b'] };
  // What is not JSON is said in words, and Send sends nothing (the server gets only the next one).
  await typeProtocolValue(page, 'msgpack', '{"event": chat}');
  await expect(page.getByTestId('protocol-problem')).toHaveText(/^The value must be JSON: /);
  await composer(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('protocol-problem')).toBeVisible();
  // The form says the problem on screen; the Send's "Not sent" is for screen readers, not a second copy.
  await expect(page.getByTestId('send-error')).toHaveText(/^Not sent: The value must be JSON: /);
  await expect(page.getByTestId('send-error')).toHaveClass(/ts-sr-only/);
  await saveScreenshot(page, 'payload-msgpack-composer-problem');
  await sendFromComposer(page, 'msgpack', JSON.stringify(sent), 'MessagePack map {event, text, tags}');
  await expect(dataRows(page)).toHaveCount(7);
  expect(server.receivedOn('/msgpack').map((bytes) => unpackr.unpack(bytes))).toEqual([sent]);
  await expect(summaries(page).nth(6)).toHaveText('MessagePack map {event, text, tags}');
  // Whole at 1280 px, not cut with an ellipsis (a fixed 34ch column cut it).
  expect(await summaries(page).nth(6).locator('.summary-text').evaluate((text) => text.scrollWidth <= text.clientWidth)).toBe(true);
  const echo = await selectRow(page, 6);
  await expect(echo).toContainText('"event": "chat"');
  await expect(echo).toContainText('"text": "from the composer"');
  await expect(echo).toContainText('0: "a"');
  await expect(echo).toContainText('1: "b"');
  await saveScreenshot(page, 'payload-msgpack-composer');
});

test('Auto takes MessagePack from the subprotocol the server chose', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('Subprotocols', { exact: true }).fill('v1.msgpack');
  await connect(page, server.urlOf('/msgpack'));
  await expect(stateOf(page)).toContainText('open');
  await expect(picker(page).locator('option[value="auto"]')).toHaveText('Auto: MessagePack?');
  await expect(picker(page)).toHaveAttribute('title', 'MessagePack, a guess: the server chose the subprotocol v1.msgpack. Pick it to confirm, or another.');
  await expect(summaries(page)).toHaveText([
    'MessagePack map {event, text, n}',
    'MessagePack map {event, n}',
    'MessagePack map {event, text, n}',
    /^⚠ the message \(5 B\) ends before its value does/,
    /^⚠ the value ends at byte 17 of 18;/,
  ]);
});

test('CBOR: rows, the tree, a broken frame, a query search, the composer from JSON', async ({ page }) => {
  await openScript(page, '/cbor');
  await expectAutoFindsNothing(page);

  await picker(page).selectOption('cbor');
  await expect(summaries(page)).toHaveText([
    'CBOR map {event, text, n}',
    'CBOR map {event, n}',
    'CBOR map {event, text, n}',
    '⚠ the message (5 B) ends before its data item does (truncated, or a length is wrong)',
  ]);
  const decoded = await selectRow(page, 1);
  await expect(decoded).toContainText('"event": "tick"');
  await expect(decoded).toContainText('"n": 2');
  await page.getByRole('tab', { name: 'Hex' }).click();
  await expect(hexView(page)).toContainText(firstBytesInHex(SCRIPTS['/cbor']?.[1]));

  await selectRow(page, 3);
  await expect(page.getByTestId('decode-problem')).toHaveText(/^not valid CBOR: the message \(5 B\) ends before its data item does/);

  await searchDecoded(page, "$.event == 'chat'", 2);
  await expect(summaries(page)).toHaveText(['CBOR map {event, text, n}', 'CBOR map {event, text, n}']);
  await page.getByRole('switch', { name: 'Only matches' }).uncheck();

  const sent = { event: 'chat', at: [1, 2.5, null], ok: true };
  await sendFromComposer(page, 'cbor', JSON.stringify(sent), 'CBOR map {event, at, ok}');
  await expect(dataRows(page)).toHaveCount(6);
  expect(server.receivedOn('/cbor').map((bytes) => cborDecoder.decode(bytes))).toEqual([sent]);
  await expect(summaries(page).nth(5)).toHaveText('CBOR map {event, at, ok}');
  const echo = await selectRow(page, 5);
  await expect(echo).toContainText('"event": "chat"');
  await expect(echo).toContainText('0: 1');
  await expect(echo).toContainText('1: 2.5');
  await expect(echo).toContainText('2: null');
  await expect(echo).toContainText('"ok": true');
});

test('compressed payloads: gzip recognised, deflate and brotli read when chosen, broken ones in words, a query search', async ({ page }) => {
  await openScript(page, '/compressed');
  // The first message has gzip's signature: a guess, said so.
  // Every row read so, deflate and brotli too (they have no signature of their own).
  await expect(picker(page).locator('option[value="auto"]')).toHaveText('Auto: compressed payload?');
  const rows = [
    'gzip → JSON map {event, text, n} (37 B)',
    'deflate → JSON map {event, n} (22 B)',
    'brotli → JSON map {event, text, n} (35 B)',
    'deflate → JSON map {event, text, n} (37 B)',
    'brotli → JSON map {event, text, n} (37 B)',
    '⚠ the gzip data (20 B) ends before its end marker (truncated)',
    /^⚠ the deflate data \(\d+ B\) is corrupted: its Adler-32 checksum does not match its content$/,
    '⚠ truncated brotli, or not compressed: the data (10 B) ends too soon for brotli, is not raw deflate, and has no gzip or zlib header',
  ];
  await expect(summaries(page)).toHaveText(rows);

  // Chosen: the same rows, the picker naming it whole.
  await picker(page).selectOption('compressed');
  await expect(picker(page).locator('option:checked')).toHaveText('compressed payload');
  await expect(picker(page)).toHaveAttribute('title', /^compressed payload: /);
  await expect(summaries(page)).toHaveText(rows);
  await saveScreenshot(page, 'payload-compressed-log');

  // One frame of each compression: what it was, and the JSON it carries, as a tree.
  for (const [row, compression, field] of [
    [0, 'gzip', '"text": "hello"'],
    [1, 'deflate', '"event": "tick"'],
    [2, 'brotli', '"text": "bye"'],
  ] as const) {
    const decoded = await selectRow(page, row);
    await expect(decoded).toContainText(`"compression": "${compression}"`);
    await expect(decoded).toContainText('"as": "JSON"');
    await expect(decoded).toContainText(field);
  }
  await page.getByRole('tab', { name: 'Hex' }).click();
  // brotli has no signature: the bytes are the message's, 0b … as sent.
  await expect(hexView(page)).toContainText(firstBytesInHex(SCRIPTS['/compressed']?.[2]));
  await saveScreenshot(page, 'payload-compressed-detail');

  // The cell leads with what is wrong, cut at the column's width; its title, and the detail pane, say the whole problem (once).
  await expect(summaries(page).nth(6)).toHaveAttribute('title', /^not valid compressed payload: the deflate data \(\d+ B\) is corrupted: its Adler-32 checksum does not match its content$/);
  const broken = await selectRow(page, 6);
  await expect(page.getByTestId('decode-problem')).toHaveText(/^not valid compressed payload: the deflate data \(\d+ B\) is corrupted: its Adler-32 checksum does not match its content$/);
  await expect(broken.getByText(/not valid compressed payload/)).toHaveCount(1);
  await saveScreenshot(page, 'payload-compressed-broken');

  await searchDecoded(page, "$.payload.event == 'chat'", 4);
  await expect(summaries(page)).toHaveText(['gzip → JSON map {event, text, n} (37 B)', 'brotli → JSON map {event, text, n} (35 B)', 'deflate → JSON map {event, text, n} (37 B)', 'brotli → JSON map {event, text, n} (37 B)']);
});

test('Base64: of JSON and of gzip, recognised, broken ones in words, a query search', async ({ page }) => {
  await openScript(page, '/base64');
  // Base64 that carries JSON is recognised: a guess, said so.
  await expect(picker(page).locator('option[value="auto"]')).toHaveText('Auto: Base64?');
  const rows = [
    `Base64 → JSON map {event, text, n} (${HELLO_SIZE} B)`,
    'Base64, gzip → JSON map {event, n} (22 B)',
    'Base64, gzip → JSON map {event, text, n} (35 B)',
    "⚠ '!' at character 12 is not a Base64 character",
    '⚠ the decoded bytes look compressed but do not inflate: the gzip data (20 B) ends before its end marker (truncated)',
  ];
  await expect(summaries(page)).toHaveText(rows);

  await picker(page).selectOption('base64');
  await expect(picker(page)).toHaveAttribute('title', /^Base64: /);
  await expect(summaries(page)).toHaveText(rows);
  await saveScreenshot(page, 'payload-base64-log');

  // Base64 of JSON: the JSON as a tree, the raw Base64 text below it.
  const ofJson = await selectRow(page, 0);
  await expect(ofJson).toContainText('"as": "JSON"');
  await expect(ofJson).toContainText('"text": "hello"');
  await expect(ofJson).not.toContainText('"compression"');
  await page.getByRole('tab', { name: 'Text' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Text' })).toContainText(String(SCRIPTS['/base64']?.[0]));
  // Base64 of gzip: inflated too.
  const ofGzip = await selectRow(page, 2);
  await expect(ofGzip).toContainText('"compression": "gzip"');
  await expect(ofGzip).toContainText('"text": "bye"');

  await selectRow(page, 3);
  await expect(page.getByTestId('decode-problem')).toHaveText("not valid Base64: '!' at character 12 is not a Base64 character");
  await saveScreenshot(page, 'payload-base64-broken');

  await searchDecoded(page, "$.payload.event == 'chat'", 2);
  await expect(summaries(page)).toHaveText([`Base64 → JSON map {event, text, n} (${HELLO_SIZE} B)`, 'Base64, gzip → JSON map {event, text, n} (35 B)']);
});
