/**
 * A 20 MiB STOMP message in the web host (QA H4): selecting it cut the page off (the answers to
 * frames:get and frames:decode were 66.7 MiB waiting for the page) and the detail pane and the
 * decoded search failed. Now the pane shows the payload's first 1 MiB and says what is left
 * (Show more, Save payload…), the decoded tree shows the body's start and marks the cut, the
 * decoded search `$.frames[1].body =~ /zzz$/` finds the frame, and the page's one connection to
 * the host is never closed. Server: `ws` on 127.0.0.1 (port 0), subprotocol v12.stomp.
 * Screenshots: test-results/screenshots/large-frame-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startBigStompServer, type BigStompServer } from '../support/big-stomp-server';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const BODY = 20 * 1024 * 1024;

let host: WebHostProcess;
let server: BigStompServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startBigStompServer(BODY);
});

test.afterAll(async () => {
  await server?.close();
  await host?.stop();
});

function dataRows(page: Page): Locator {
  return frames(page).locator('[role="row"]:not(.placeholder):not(.head)');
}

test('a 20 MiB frame is shown in part, its decoded body cut and marked, found by a decoded search, and the page stays connected', async ({ page }) => {
  test.setTimeout(120_000);
  // Every connection the page opens to the host, and whether it closed.
  const sockets: { url: string; closed: boolean }[] = [];
  page.on('websocket', (ws) => {
    const entry = { url: ws.url(), closed: false };
    sockets.push(entry);
    ws.on('close', () => (entry.closed = true));
  });
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('Subprotocols', { exact: true }).fill('v12.stomp');
  await connect(page, server.url);
  await expect(stateOf(page)).toContainText('open');
  await expect(dataRows(page)).toHaveCount(1);
  await dataRows(page).first().click();

  // The raw payload: its first 1 MiB, the rest said and offered.
  const note = page.getByTestId('payload-part-note');
  await expect(note).toContainText(`Showing the first 1.0 MiB of 20.0 MiB (${(server.messageBytes - 1024 * 1024).toLocaleString('en-US')} more bytes).`);
  await expect(note.getByRole('button', { name: 'Show more' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save payload…' })).toBeVisible();
  await expect(page.locator('.panel-text pre')).toContainText('CONNECTED');
  await expect(page.locator('.panel-text pre')).toContainText('destination:/topic/big');

  // The decoded tree: the MESSAGE's body begins, and where it was cut says how much is left out.
  const decoded = page.getByTestId('decoded-frame');
  await expect(decoded).toContainText('STOMP');
  await expect(decoded.getByTestId('value-cut-note')).toBeVisible();
  const cut = decoded.getByTestId('value-cut');
  await expect(cut).toHaveCount(1);
  // The engine sent 100,000 characters of the body; the tree shows 2,000 of them.
  await expect(cut).toHaveText(`… ${(BODY - 2000).toLocaleString('en-US')} more bytes`);
  await expect(decoded).toContainText('"body": "aaaa');
  await saveScreenshot(page, 'large-frame-detail');
  await cut.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'large-frame-cut');

  // Show more fetches the next part.
  await note.getByRole('button', { name: 'Show more' }).click();
  await expect(note).toContainText('Showing the first 2.0 MiB of 20.0 MiB');

  // The decoded search reads the whole body in the engine and ships no payload.
  await page.getByLabel('Search mode').selectOption('decoded');
  await page.getByLabel('Search frames').fill('$.frames[1].body =~ /zzz$/');
  await expect(page.getByTestId('match-count')).toHaveText(/of 1$/);
  await page.getByRole('switch', { name: 'Only matches' }).check();
  await expect(page.getByTestId('frame-count')).toContainText('1 shown of');
  await saveScreenshot(page, 'large-frame-search');

  // The page's connection to the host: one, never closed; the host cut no page off.
  await expect(page.getByTestId('web-host-connection')).toBeHidden();
  const api = sockets.filter((s) => new URL(s.url).pathname === '/api');
  expect(api).toHaveLength(1);
  expect(api[0]?.closed).toBe(false);
  expect(host.output()).not.toContain('cut off');
});
