/**
 * Search that means what it says, in Chromium through the web host at 1280×800: every JSONPath
 * example the search shows finds the messages it describes (and only those), and a hex search
 * finds a binary frame by its bytes, marked in the row's hex preview and in the detail pane's
 * hex dump. Screenshots: test-results/screenshots/search-*.png.
 */
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { JSON_PATH_EXAMPLES } from '../../src-main/shared/json-path-examples';
import { connect, frames, openInspector, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

/** What the server sends on connect: JSON messages for the examples, then three binary frames. */
const MESSAGES: (string | Buffer)[] = [
  '{"op":"hello"}',
  '{"price":12,"name":"apple"}',
  '{"price":9,"name":"pear"}',
  '{"type":"trade","qty":5}',
  '{"type":"trade","qty":4}',
  '{"level":"error","msg":"disk full"}',
  '{"level":"warn","msg":"slow"}',
  '{"level":"info","msg":"ok"}',
  '{"user":{"name":"admin"}}',
  '{"user":{"name":"guest"}}',
  '{"items":[{"qty":1},{"qty":3}]}',
  '{"items":[{"qty":1}]}',
  '{"order":{"lines":[{"price":2}]}}',
  Buffer.from([0x38, 0x38]), // 14: "88" as text
  Buffer.from([0x88, 0x88]), // 15
  Buffer.from([0xde, 0xad, 0xbe, 0xef]), // 16
];
const TOTAL = MESSAGES.length;

/** Which received frames (seq) each example finds. The server's frames are 1…16 in order. */
const FINDS: Record<string, number[]> = {
  '$.op': [1],
  '$[?(@.price > 10)]': [2],
  '$[?(@.type == "trade" && @.qty >= 5)]': [4],
  '$[?(@.level == "error" || @.level == "warn")]': [6, 7],
  '$[?(@.user.name.match(/^adm/i))]': [9],
  '$.items[?(@.qty > 2)]': [11],
  '$..price': [2, 3, 13],
};

interface FixedServer {
  url: string;
  close(): Promise<void>;
}

async function startServer(): Promise<FixedServer> {
  const server = http.createServer((_request, response) => response.end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    for (const message of MESSAGES) socket.send(message, { binary: Buffer.isBuffer(message) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/search`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

let host: WebHostProcess;
let ws: FixedServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  ws = await startServer();
});

test.afterAll(async () => {
  await host?.stop();
  await ws?.close();
});

async function saveScreenshot(page: Page, state: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${state}.png`) });
}

function row(page: Page, seq: number) {
  return frames(page).locator(`[role="row"][id$="-${seq}"]`);
}

async function search(page: Page, query: string): Promise<void> {
  const box = page.getByLabel('Search frames', { exact: true });
  await box.fill(query);
  await box.press('Enter');
}

test('JSONPath examples find what they say; a hex search finds a binary frame by its bytes', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await connect(page, ws.url, { mode: 'none' });
  await expect(stateOf(page)).toContainText('open');
  await expect(page.getByTestId('frame-count')).toHaveText(`${TOTAL} frames`);

  // Every example the UI lists, run from the list itself.
  await page.getByLabel('Search mode').selectOption('jsonpath');
  await expect(page.getByLabel('Search frames', { exact: true })).toHaveAttribute('placeholder', 'JSONPath, e.g. $.op or $[?(@.price > 10)]');
  const count = page.getByTestId('match-count');
  const onlyMatches = page.getByRole('search').getByRole('switch');
  await onlyMatches.check();
  expect(Object.keys(FINDS)).toEqual(JSON_PATH_EXAMPLES.map((e) => e.path));
  for (const example of JSON_PATH_EXAMPLES) {
    await page.getByRole('button', { name: 'Examples ▾' }).click();
    const list = page.getByRole('group', { name: 'JSONPath examples' });
    await expect(list).toBeVisible();
    if (example.path === '$[?(@.price > 10)]') await saveScreenshot(page, 'search-jsonpath-examples');
    await list.getByRole('button', { name: example.path, exact: true }).click();
    const seqs = FINDS[example.path] ?? [];
    await expect(count, example.path).toHaveText(`– of ${seqs.length}`);
    // Of every frame so far (keep-alive pings and pongs join the log as the test goes on).
    await expect(page.getByTestId('frame-count')).toHaveText(new RegExp(`^${seqs.length} shown of \\d+$`));
    for (const seq of seqs) await expect(row(page, seq), `${example.path} finds #${seq}`).toBeVisible();
    if (example.path === '$[?(@.price > 10)]') await saveScreenshot(page, 'search-jsonpath-price');
  }
  await onlyMatches.uncheck();

  // Hex: 38 38 is the frame whose bytes are 0x38 0x38, marked where the preview shows it.
  await page.getByLabel('Search mode').selectOption('text');
  const payloadAs = page.getByRole('group', { name: 'Search payloads as' });
  await payloadAs.getByRole('button', { name: 'Hex' }).click();
  await search(page, '38 38');
  await expect(count).toHaveText('1 of 1');
  await expect(row(page, 14)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, 14).locator('mark')).toHaveText('38 38');
  const hexTab = page.getByRole('tab', { name: 'Hex' });
  await expect(hexTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.hex-view .bytes mark')).toHaveText('38 38');
  await expect(page.locator('.hex-view .ascii mark')).toHaveText('88');
  await saveScreenshot(page, 'search-hex');

  // Byte-aligned: hex 88 is the byte 0x88 (#15), never the eights of 38 38.
  await search(page, '0x88');
  await expect(count).toHaveText('1 of 1');
  await expect(row(page, 15)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, 15).locator('mark')).toHaveText(['88', '88']);
  await expect(row(page, 14).locator('mark')).toHaveCount(0);
  await saveScreenshot(page, 'search-hex-88');

  // Text reads the payload as UTF-8: "88" is the two 0x38 bytes of #14.
  await payloadAs.getByRole('button', { name: 'Text' }).click();
  await search(page, '88');
  await expect(count).toHaveText('1 of 1');
  await expect(row(page, 14).locator('mark')).toHaveText('38 38');

  // Base64 of de ad be ef.
  await payloadAs.getByRole('button', { name: 'Base64' }).click();
  await search(page, '3q2+7w==');
  await expect(count).toHaveText('1 of 1');
  await expect(row(page, 16).locator('mark')).toHaveText('de ad be ef');
  await saveScreenshot(page, 'search-base64');

  // Bad hex is said next to the field.
  await payloadAs.getByRole('button', { name: 'Hex' }).click();
  await search(page, '38 3');
  await expect(page.getByText('has an odd number of hex digits')).toBeVisible();
  await saveScreenshot(page, 'search-hex-error');
});
