/**
 * Inspection at scale in Chromium through the web host: a server floods 200,000 frames, the
 * log keeps up and stays usable (jump to a seq, a regular-expression search in the engine
 * stepped through match by match), the log is exported as NDJSON (a real download) and
 * imported back into a read-only tab; a broken file's problems are listed with their lines.
 * Each state is saved as test-results/screenshots/inspection-*.png.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { connect, frames, openInspector, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const FLOOD = 200_000;
/** Every 10,000th message is an error: 20 in the flood. */
const ERROR_EVERY = 10_000;

interface FloodServer {
  url: string;
  close(): Promise<void>;
}

/** A server that sends FLOOD text messages as fast as the socket takes them, then stays open. */
async function startFloodServer(): Promise<FloodServer> {
  const server = http.createServer((_request, response) => response.end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    let n = 1;
    // In slices, so the server's own event loop breathes and the client sees a stream.
    const pump = (): void => {
      const end = Math.min(FLOOD, n + 4999);
      for (; n <= end; n++) {
        const level = n % ERROR_EVERY === 0 ? 'ERROR' : 'info';
        socket.send(`{"n":${n},"level":"${level}","msg":"tick ${n}"}`);
      }
      if (n <= FLOOD) setImmediate(pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/flood`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

let host: WebHostProcess;
let flood: FloodServer;
let dir: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  flood = await startFloodServer();
  dir = await mkdtemp(path.join(tmpdir(), 'tunnelscope-inspection-'));
});

test.afterAll(async () => {
  await host?.stop();
  await flood?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function frameCount(page: Page) {
  return page.getByTestId('frame-count');
}

/**
 * test-results/screenshots/<state>.png of the window as the user sees it. (A full-page capture
 * resizes the page, and Chromium then resets the log's inner scroll position.)
 */
async function saveScreenshot(page: Page, state: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${state}.png`) });
}

function row(page: Page, seq: number) {
  return frames(page).locator(`[role="row"][id$="-${seq}"]`);
}

test('200,000 frames: the log keeps up, jumps to a seq, searches with a regex, exports and imports', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openInspector(page, host.url);
  await connect(page, flood.url, { mode: 'none' });
  await expect(stateOf(page)).toContainText('open');
  await expect(frameCount(page)).toHaveText('200,000 frames', { timeout: 60_000 });
  // Following the live end: the newest frame is on screen.
  await expect(row(page, FLOOD)).toBeVisible();
  await expect(page.getByTestId('throughput-graph')).toBeVisible();
  await saveScreenshot(page, 'inspection-flood');

  // Go to #123,456: selected and on screen, and the log stops following.
  const goTo = page.getByLabel('Go to #');
  await goTo.fill('123456');
  await goTo.press('Enter');
  await expect(row(page, 123_456)).toBeVisible();
  await expect(row(page, 123_456)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('button', { name: /Jump to latest/ })).toBeVisible();
  // The detail pane fetched the whole frame.
  await expect(page.locator('.frame-detail')).toContainText('tick 123456');
  await saveScreenshot(page, 'inspection-goto');

  // A regular expression over every stored frame, in the engine; Enter steps to the next match.
  await page.getByLabel('Search mode').selectOption('regex');
  const search = page.getByLabel('Search frames', { exact: true });
  await search.fill('"level":"ERR(OR)?"');
  await search.press('Enter');
  const count = page.getByTestId('match-count');
  // From #123,456 the next match is #130,000, the 13th of 20.
  await expect(count).toHaveText('13 of 20');
  await expect(row(page, 130_000)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, 130_000).locator('mark')).toHaveText('"level":"ERROR"');
  await page.getByRole('button', { name: 'Next match' }).click();
  await expect(count).toHaveText('14 of 20');
  await expect(row(page, 140_000)).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: 'Previous match' }).click();
  await page.getByRole('button', { name: 'Previous match' }).click();
  await expect(count).toHaveText('12 of 20');
  await expect(row(page, 120_000)).toBeVisible();
  await saveScreenshot(page, 'inspection-search');

  // A bad regular expression is said inline, and nothing else changes.
  await search.fill('"level":"(');
  await search.press('Enter');
  await expect(page.getByText('Invalid regular expression')).toBeVisible();
  await expect(search).toHaveAttribute('aria-invalid', 'true');
  await saveScreenshot(page, 'inspection-search-error');
  await search.fill('');
  await search.press('Enter');

  // Export every frame as NDJSON: a real download.
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'All frames as NDJSON' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^127\.0\.0\.1-.*\.ndjson$/);
  const saved = path.join(dir, download.suggestedFilename());
  await download.saveAs(saved);
  const lines = (await readFile(saved, 'utf8')).trimEnd().split('\n');
  expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ type: 'tunnelscope-session', url: flood.url });
  expect(lines).toHaveLength(FLOOD + 1);
  expect(JSON.parse(lines[FLOOD] ?? '{}')).toMatchObject({ seq: FLOOD, dir: 'in', opcode: 'text' });
  await expect(page.getByTestId('export-status')).toContainText('Saved 200,000 frames');

  // Import it back: a read-only tab named after the file.
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import log…' }).click();
  await (await choosing).setFiles(saved);
  const tab = page.locator('.strip .tab.active');
  await expect(tab).toContainText(download.suggestedFilename(), { timeout: 30_000 });
  await expect(tab).toContainText('imported');
  await expect(stateOf(page)).toContainText('imported');
  await expect(page.getByRole('region', { name: 'Imported log' })).toContainText('200,000 frames');
  await expect(page.getByLabel('URL', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
  await expect(frameCount(page)).toHaveText('200,000 frames');
  // The imported frames are paged from the engine: the first one is there when asked for.
  await page.getByLabel('Go to #').fill('1');
  await page.getByLabel('Go to #').press('Enter');
  await expect(row(page, 1)).toContainText('tick 1"');
  await saveScreenshot(page, 'inspection-imported');
});

test('a history of 5,000 frames: the oldest are dropped and counted, and the export holds the rest', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options/ }).click();
  await page.getByLabel('History kept', { exact: true }).fill('5000');
  await page.getByLabel('Payload kept, MiB').fill('64');
  await expect(page.getByRole('button', { name: /^Connection options/ })).toContainText('Keeps 5,000 frames / 64 MiB');
  await saveScreenshot(page, 'inspection-history-setting');
  await connect(page, flood.url, { mode: 'none' });
  await expect(page.locator('.banner.dropped')).toContainText('195,000 older frames dropped', { timeout: 60_000 });
  await expect(frameCount(page)).toHaveText('5,000 frames');
  await expect(row(page, FLOOD)).toBeVisible();
  await saveScreenshot(page, 'inspection-history-dropped');
  // Going to a dropped frame says so; the export holds the 5,000 kept.
  await page.getByLabel('Go to #').fill('10');
  await page.getByLabel('Go to #').press('Enter');
  await expect(page.getByText('#10 was dropped')).toBeVisible();
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'All frames as NDJSON' }).click();
  const saved = path.join(dir, 'history.ndjson');
  await (await downloading).saveAs(saved);
  const lines = (await readFile(saved, 'utf8')).trimEnd().split('\n');
  expect(lines).toHaveLength(5000 + 1);
  expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ framesDropped: 195_000 });
  expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ seq: FLOOD - 4999 });
});

test('a damaged log file: what is whole is imported, each line left out named with why; a file with no whole frame is refused with every problem', async ({ page }) => {
  await openInspector(page, host.url);
  const broken = path.join(dir, 'broken.ndjson');
  const header = { type: 'tunnelscope-session', version: 1, url: 'wss://echo.test/', createdAt: '2024-05-01T10:00:00.000Z', exportedAt: '2024-05-01T10:00:01.000Z', state: 'closed', proxy: null, handshake: [], error: null, closed: null, framesDropped: 0, filter: null };
  const sideways = JSON.stringify({ seq: 2, dir: 'sideways', opcode: 'text', at: '2024-05-01T10:00:00.200Z', size: 2, text: 'hi' });
  await writeFile(broken, [JSON.stringify(header), JSON.stringify({ seq: 1, dir: 'in', opcode: 'text', at: '2024-05-01T10:00:00.100Z', size: 2, text: 'hi' }), sideways, '{ not json'].join('\n'));
  const tabsBefore = await page.locator('.strip .tab').count();
  let choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import log…' }).click();
  await (await choosing).setFiles(broken);
  await expect(page.locator('.strip .tab')).toHaveCount(tabsBefore + 1);
  const notes = page.getByRole('list', { name: 'Import notes' });
  await expect(notes).toContainText('left out line 3');
  await expect(notes).toContainText('left out line 4');
  await expect(frames(page).locator('[role="row"]:not(.placeholder):not(.head)')).toHaveCount(1);
  await saveScreenshot(page, 'inspection-import-left-out');

  // Nothing whole in it: refused, every problem listed with its line.
  const hopeless = path.join(dir, 'hopeless.ndjson');
  await writeFile(hopeless, [JSON.stringify(header), sideways, '{ not json'].join('\n'));
  choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import log…' }).click();
  await (await choosing).setFiles(hopeless);
  const dialog = page.getByRole('dialog', { name: 'Could not import hopeless.ndjson' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('line 2');
  await expect(dialog).toContainText('line 3');
  await expect(page.locator('.strip .tab')).toHaveCount(tabsBefore + 1);
  await saveScreenshot(page, 'inspection-import-problems');
});
