/**
 * The QA pass's D5, D6, D9, D13 and D17, in Chromium through the web host at 1024×768 and
 * 1280×800, each with its screenshot (test-results/screenshots/qa-fix-*.png):
 * - D6: with any Decode choice (Protocol Buffers with a schema and a message type too) and a row
 *   selected, nothing in the filter bar reaches past the log pane's right edge.
 * - D5: an invalid JSONPath + Enter leaves no chip and no "Searching…".
 * - D13: a GraphQL session's Field filter starts on Operation; Event is said to match nothing.
 * - D17: an imported log's Repeat… is disabled with its reason; the header has no blank line.
 * - D9: hex typed in Text survives the switch to Binary and is sent as those bytes.
 */
import { expect, test, type Page } from '@playwright/test';
import protobuf from 'protobufjs';
import { boxOf } from './support/box-of';
import { connect, frames, openInspector, saveScreenshot, screenshotDir, stateOf } from './support/inspector';
import { startGreetingServer, type GreetingServer } from './support/greeting-server';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const ORDERS = 'syntax = "proto3";\npackage shop;\nmessage Order {\n  string id = 1;\n  string customer = 2;\n  string status = 3;\n}\n';
const Order = protobuf.parse(ORDERS, { keepCase: true }).root.lookupType('shop.Order');
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
] as const;

let host: WebHostProcess;
let server: GreetingServer | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  const order = Order.encode(Order.create({ id: '12345678901234567890', customer: 'ann', status: 'SHIPPED' })).finish();
  server = await startGreetingServer('/proto', [order, order, '{"price": 3}']);
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

/** An NDJSON log as Export writes it: a header with the handshake's legs, then the frames. */
function ndjson(url: string, texts: readonly { dir: 'in' | 'out'; text: string }[]): Buffer {
  const header = {
    type: 'tunnelscope-session',
    version: 1,
    url,
    createdAt: '2026-12-06T19:10:00.000Z',
    exportedAt: '2026-12-06T19:10:09.000Z',
    state: 'open',
    proxy: { source: 'none', candidates: [{ url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false }], reason: 'proxy disabled for this connection' },
    handshake: [
      { leg: 'resolve', startedAt: 1796584200027, ms: 1, ok: true },
      { leg: 'tcp', startedAt: 1796584200028, ms: 21, ok: true, peer: '127.0.0.1:5240' },
      { leg: 'upgrade', startedAt: 1796584200049, ms: 17, ok: true, peer: '127.0.0.1:5240' },
    ],
    error: null,
    closed: null,
    framesDropped: 0,
    filter: null,
  };
  const lines = texts.map((f, i) => JSON.stringify({ seq: i + 1, dir: f.dir, opcode: 'text', at: `2026-12-06T19:10:0${i}.000Z`, size: Buffer.byteLength(f.text), text: f.text }));
  return Buffer.from([JSON.stringify(header), ...lines].join('\n') + '\n');
}

const GRAPHQL = ndjson('ws://127.0.0.1:5240/graphql', [
  { dir: 'out', text: '{"type":"connection_init"}' },
  { dir: 'in', text: '{"type":"connection_ack"}' },
  { dir: 'out', text: '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}' },
  { dir: 'in', text: '{"id":"1","type":"next","payload":{"data":{"price":3}}}' },
  { dir: 'in', text: '{"id":"1","type":"complete"}' },
]);

async function importLog(page: Page, name: string, content: Buffer): Promise<void> {
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import log…' }).click();
  await (await choosing).setFiles({ name, mimeType: 'application/x-ndjson', buffer: content });
  await expect(page.locator('.strip .tab.active')).toContainText(name);
  await expect(stateOf(page)).toContainText('imported');
}

/** What the page functions below read of the page (the tests' TypeScript has no DOM types). */
interface PageElement {
  tagName: string;
  className: string;
  textContent: string | null;
  value?: string;
  parentElement: PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  getBoundingClientRect(): { right: number; width: number };
}
interface PageGlobals {
  getComputedStyle(element: PageElement): { visibility: string; lineHeight: string };
}

/** The elements of the filter bar whose right edge is past the log pane's (none expected). */
async function overflowing(page: Page): Promise<string[]> {
  return page.locator('.filter-bar').evaluate((node) => {
    const w = globalThis as unknown as PageGlobals;
    const bar = node as unknown as PageElement;
    const pane = bar.parentElement ?? bar;
    const right = Math.min(pane.getBoundingClientRect().right, bar.getBoundingClientRect().right) + 0.5;
    const out: string[] = [];
    for (const el of Array.from(bar.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || w.getComputedStyle(el).visibility === 'hidden') continue;
      if (box.right > right) out.push(`${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 40)} (right ${Math.round(box.right)} > ${Math.round(right)})`);
    }
    return out;
  });
}

for (const size of SIZES) {
  test(`D6 at ${size.width}: every Decode choice, Protocol Buffers with a schema and type, fits the log pane with a row selected`, async ({ page }) => {
    await page.setViewportSize(size);
    await openInspector(page, host.url);
    await connect(page, server?.url ?? '');
    await expect(stateOf(page)).toContainText('open');
    await frames(page).locator('[role="row"]:not(.placeholder):not(.head)').first().click();
    const decode = page.getByLabel('Decode', { exact: true });
    const choices = await decode.locator('option').evaluateAll((options) => options.map((o) => (o as unknown as PageElement).value ?? ''));
    expect(choices.length).toBeGreaterThan(5);
    for (const choice of choices) {
      await decode.selectOption(choice);
      await expect(decode).toHaveValue(choice);
      expect(await overflowing(page), `Decode ${choice}`).toEqual([]);
      // The log pane's top with the detail pane's edge, one image a choice (looked at side by side).
      const bar = await boxOf(page.locator('.filter-bar'));
      await page.screenshot({ path: `${screenshotDir}/qa-fix-d6-choice-${size.width}-${choice}.png`, clip: { x: bar.x, y: bar.y, width: bar.width + 60, height: bar.height + 40 } });
    }
    await decode.selectOption('protobuf');
    const control = page.getByTestId('protobuf-schema');
    await control.getByLabel('Protocol Buffers schema file').setInputFiles({ name: 'orders-with-a-long-name.proto', mimeType: 'text/plain', buffer: Buffer.from(ORDERS) });
    await control.getByLabel('Message type').selectOption('shop.Order');
    const label = page.getByTestId('protobuf-schema-label');
    await expect(label).toHaveText('protobuf: orders-with-a-long-name.proto#shop.Order');
    await expect(label).toHaveAttribute('title', 'protobuf: orders-with-a-long-name.proto#shop.Order');
    await page.getByRole('button', { name: /Field/ }).first().waitFor();
    expect(await overflowing(page)).toEqual([]);
    // The detail pane's timestamp line is not covered by the bar.
    const bar = await boxOf(page.locator('.filter-bar'));
    const detail = await boxOf(page.getByTestId('decoded-frame'));
    expect(bar.x + bar.width).toBeLessThanOrEqual(detail.x + 1);
    await saveScreenshot(page, `qa-fix-d6-protobuf-schema-${size.width}`);

    // The detail pane dragged to its widest (Home on the divider): the log at its 360 px floor.
    await page.getByRole('separator', { name: 'Resize the frame detail' }).press('Home');
    await expect.poll(async () => Math.round((await boxOf(page.locator('.filter-bar'))).width)).toBeLessThan(400);
    expect(await overflowing(page), 'Protocol Buffers with a schema, the log at its narrowest').toEqual([]);
    await saveScreenshot(page, `qa-fix-d6-protobuf-schema-narrowest-log-${size.width}`);
    for (const choice of choices) {
      await decode.selectOption(choice);
      await expect(decode).toHaveValue(choice);
      expect(await overflowing(page), `Decode ${choice}, the log at its narrowest`).toEqual([]);
    }
  });

  test(`D5 and D13 at ${size.width}: a bad JSONPath leaves no chip; a GraphQL log's Field starts on Operation`, async ({ page }) => {
    await page.setViewportSize(size);
    await openInspector(page, host.url);
    await importLog(page, `graphql-${size.width}.ndjson`, GRAPHQL);
    await page.getByLabel('Decode', { exact: true }).selectOption('graphql-ws');

    await page.getByLabel('Search mode').selectOption('jsonpath');
    const search = page.getByLabel('Search frames');
    await search.fill('$[?(@.price >');
    await search.press('Enter');
    await expect(page.locator('.filter-bar .problem')).toContainText('the JSONPath is not applied');
    await expect(page.getByRole('list', { name: 'Active filters' })).toHaveCount(0);
    await expect(page.locator('.filter-bar .notice')).toHaveCount(0);
    await saveScreenshot(page, `qa-fix-d5-jsonpath-bad-${size.width}`);
    await search.fill('');

    await page.getByRole('button', { name: 'Field ▾' }).click();
    const field = page.getByRole('dialog', { name: 'Decoded field' });
    await expect(field.getByLabel('Field')).toHaveValue('operation');
    await field.getByLabel('Value').fill('OnPrice');
    await field.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('frame-count')).toHaveText(/^[1-9]\d* shown of 5$/);
    await page.getByRole('button', { name: /operation = OnPrice/ }).click();
    await field.getByLabel('Field').selectOption('event');
    await expect(field.getByTestId('decoded-field-note')).toHaveText('GraphQL over WebSocket frames have no Event, so this filter matches none of them: their field is Operation.');
    await saveScreenshot(page, `qa-fix-d13-field-note-${size.width}`);
    await field.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('decoded-field-misfit')).toContainText('their field is Operation');
    await saveScreenshot(page, `qa-fix-d13-field-misfit-${size.width}`);
    await page.getByRole('button', { name: 'Filter by Operation' }).click();
    await expect(page.getByTestId('decoded-field-misfit')).toHaveCount(0);
    await expect(page.getByTestId('frame-count')).toHaveText(/^[1-9]\d* shown of 5$/);
  });

  test(`D17 and D9 at ${size.width}: an imported log's Repeat… is disabled with its reason; hex typed in Text is sent as its bytes`, async ({ page }) => {
    await page.setViewportSize(size);
    await openInspector(page, host.url);
    await importLog(page, `stomp-${size.width}.ndjson`, ndjson('ws://127.0.0.1:15674/ws', [{ dir: 'out', text: 'CONNECT\naccept-version:1.2\nhost:/\n\n\u0000' }]));
    const repeat = page.getByRole('button', { name: 'Repeat…' });
    await expect(repeat).toBeDisabled();
    await expect(repeat).toHaveAttribute('title', 'This tab shows an imported log (read-only): nothing can be sent from it.');
    // "Recorded from … — nothing can be sent …" is at most two lines of text, no blank one between.
    const from = page.getByTestId('imported-from');
    const lineHeight = await from.evaluate((p) => parseFloat((globalThis as unknown as PageGlobals).getComputedStyle(p as unknown as PageElement).lineHeight) || 18);
    expect((await boxOf(from)).height).toBeLessThanOrEqual(2 * lineHeight + 1);
    await saveScreenshot(page, `qa-fix-d17-imported-${size.width}`);

    await page.getByRole('button', { name: /New session/ }).click();
    await connect(page, server?.url ?? '');
    await expect(stateOf(page)).toContainText('open');
    const box = page.getByLabel('Message', { exact: true });
    await box.fill('08c80112026f6b');
    await page.getByRole('group', { name: 'Format' }).getByRole('button', { name: 'Binary', exact: true }).click();
    await expect(box).toHaveValue('08c80112026f6b');
    await expect(page.getByTestId('composer-carried')).toHaveText('The text is hex: kept as its 7 B.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = frames(page).locator('[role="row"]:not(.placeholder):not(.head)').filter({ hasText: '↑' });
    await expect(sent).toHaveCount(1);
    await expect(sent).toContainText('7 B');
    await box.fill('');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByTestId('composer-empty')).toContainText('The message is empty: nothing was sent.');
    await expect(sent).toHaveCount(1);
    await saveScreenshot(page, `qa-fix-d9-composer-${size.width}`);
  });
}
