/**
 * The log, the detail pane and the shortcuts as a user lives with them, in Chromium through the
 * web host, at 1280×800 and 1920×1080: the detail pane's Frame and Statistics tabs and Escape,
 * Clear and its counter, Pause with "N new frames" and Resume, the three kinds of timestamps,
 * hiding a column, the jump-to-latest pill never covering a row in view, the shortcuts a browser
 * leaves to the page (Alt+T / Alt+W, asking before a live session's tab closes) and the
 * beforeunload prompt only while a session is open. Screenshots of each state:
 * test-results/screenshots/log-<state>-<width>x<height>.png.
 */
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { connect, frames, openInspector, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

interface BurstServer {
  url: string;
  close(): Promise<void>;
}

/** Echoes every message; `burst:N` is answered by N messages `tick 1` … `tick N` (the test decides when frames come). */
async function startBurstServer(): Promise<BurstServer> {
  const server = http.createServer((_request, response) => response.end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      const text = data.toString();
      const burst = /^burst:(\d+)$/.exec(text);
      if (!burst || isBinary) {
        socket.send(data, { binary: isBinary });
        return;
      }
      for (let n = 1; n <= Number(burst[1]); n++) socket.send(`{"tick":${n},"note":"tick ${n} of ${burst[1]}"}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ticks`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

let host: WebHostProcess;
let server: BurstServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startBurstServer();
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

function row(page: Page, seq: number): Locator {
  return frames(page).locator(`[role="row"][id$="-${seq}"]`);
}

function frameCount(page: Page): Locator {
  return page.getByTestId('frame-count');
}

/** Sends `burst:n` from the composer: one frame out, n frames back (n + 1 in all). */
async function burst(page: Page, n: number): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(`burst:${n}`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Whether a dispatched beforeunload is cancelled: what the page's handler would make the browser ask. */
async function unloadWouldAsk(page: Page): Promise<boolean> {
  // A string: the e2e code is compiled without the DOM's types.
  const asked: unknown = await page.evaluate("(() => { const event = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(event); return event.defaultPrevented; })()");
  return asked === true;
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The pill's box against every row box on screen: none may be covered. */
async function expectPillCoversNoRow(page: Page, pill: Locator): Promise<void> {
  const pillBox = await pill.boundingBox();
  expect(pillBox, 'the pill is on screen').not.toBeNull();
  if (!pillBox) return;
  const scroller = await frames(page).locator('[data-frame-scroller]').boundingBox();
  expect(scroller).not.toBeNull();
  if (!scroller) return;
  // Rows are clipped by the scroller: only the visible part of each can be covered.
  const boxes = await frames(page)
    .locator('[role="rowgroup"] [role="row"]')
    .evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect()).map((b) => ({ x: b.x, y: b.y, width: b.width, height: b.height })));
  const bottom = scroller.y + scroller.height;
  const visible = boxes
    .filter((b) => b.y + b.height > scroller.y && b.y < bottom)
    .map((b) => {
      const top = Math.max(b.y, scroller.y);
      return { ...b, y: top, height: Math.min(b.y + b.height, bottom) - top };
    });
  expect(visible.length).toBeGreaterThan(0);
  for (const box of visible) expect(overlaps(pillBox, box), `the pill covers the row at y=${box.y}`).toBe(false);
  // Below the rows, not over them.
  expect(pillBox.y).toBeGreaterThanOrEqual(scroller.y + scroller.height - 1);
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  const tag = `${size.width}x${size.height}`;

  test.describe(`at ${tag}`, () => {
    test.use({ viewport: size });

    async function shot(page: Page, state: string): Promise<void> {
      await mkdir(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, `log-${state}-${tag}.png`) });
    }

    test('the log: detail tabs and Escape, timestamps, columns, the pill, Pause and Clear', async ({ page }) => {
      test.setTimeout(120_000);
      await openInspector(page, host.url);
      await connect(page, server.url, { mode: 'none' });
      await expect(stateOf(page)).toContainText('open');
      await burst(page, 40);
      await expect(row(page, 41)).toBeVisible();
      await expect(frameCount(page)).toHaveText('41 frames');

      // No frame selected: the detail pane shows the statistics.
      const detail = page.getByRole('region', { name: 'Frame detail' });
      const paneTab = (name: string) => detail.getByRole('tablist', { name: 'Detail pane' }).getByRole('tab', { name, exact: true });
      await expect(paneTab('Statistics')).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId('session-stats')).toBeVisible();
      await shot(page, 'detail-stats-idle');

      // A frame selected: its payload; the statistics stay one click away.
      await row(page, 30).click();
      await expect(paneTab('Frame')).toHaveAttribute('aria-selected', 'true');
      await expect(detail).toContainText('tick 29 of 40');
      await shot(page, 'detail-frame');
      await paneTab('Statistics').click();
      await expect(page.getByTestId('session-stats')).toBeVisible();
      await expect(row(page, 30)).toHaveAttribute('aria-selected', 'true');
      await shot(page, 'detail-stats-with-selection');
      // Escape: no selection, back to the statistics.
      await paneTab('Frame').click();
      await row(page, 30).click();
      await page.keyboard.press('Escape');
      await expect(row(page, 30)).toHaveAttribute('aria-selected', 'false');
      await expect(paneTab('Statistics')).toHaveAttribute('aria-selected', 'true');
      await expect(detail).not.toContainText('Esc clears the selection');

      // Timestamps: clock, since open, delta to the row above.
      const timeChoice = page.getByRole('group', { name: 'Time shown' });
      const header = frames(page).locator('.head .c-time');
      await expect(row(page, 41).locator('.c-time')).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
      await timeChoice.getByRole('button', { name: 'Since open' }).click();
      await expect(header).toHaveText('Since open');
      await expect(row(page, 41).locator('.c-time')).toHaveText(/^\+\d+\.\d{3}$/);
      await shot(page, 'time-since-open');
      await timeChoice.getByRole('button', { name: 'Delta' }).click();
      await expect(header).toHaveText('Delta');
      await expect(row(page, 41).locator('.c-time')).toHaveText(/^\+0\.\d{3}$/);
      await shot(page, 'time-delta');
      await timeChoice.getByRole('button', { name: 'Clock' }).click();
      await expect(header).toHaveText('Time');

      // Columns: hide Size, then show all again.
      await page.getByRole('button', { name: 'Columns ▾' }).click();
      const columns = page.getByRole('dialog', { name: 'Columns' });
      await columns.getByLabel('Size').uncheck();
      await expect(frames(page).locator('.head [role="columnheader"]')).toHaveText(['#', 'Time', /Dir/, 'Type', 'Preview']);
      await expect(row(page, 41).locator('.c-size')).toHaveCount(0);
      await shot(page, 'columns-size-hidden');
      await columns.getByRole('button', { name: 'Show all' }).click();
      await expect(frames(page).locator('.head [role="columnheader"]')).toHaveCount(6);
      await page.keyboard.press('Escape');
      await expect(columns).toHaveCount(0);

      // The pill: scrolled up, new frames below are counted, frames in view are not; it covers no row.
      await frames(page).locator('[data-frame-scroller]').hover();
      await page.mouse.wheel(0, -10_000);
      await expect(row(page, 1)).toBeVisible();
      const jump = page.getByTestId('jump-pill');
      await expect(jump).toHaveText('↓ Jump to latest');
      await burst(page, 60);
      await expect(frameCount(page)).toHaveText('102 frames');
      // All 61 new frames (#42–#102) are below the rows in view.
      await expect(jump).toHaveText('↓ 61 new frames');
      await expect(page.getByRole('button', { name: '61 new frames below — Jump to latest' })).toBeVisible();
      await expectPillCoversNoRow(page, jump);
      await shot(page, 'jump-pill-all-below');
      // Scrolled down part way: the new frames now in view are no longer counted.
      await frames(page).locator('[data-frame-scroller]').hover();
      await page.mouse.wheel(0, 22 * 45);
      await expect(row(page, 50)).toBeVisible();
      await expect
        .poll(async () => {
          const seen = await frames(page).evaluate((grid) => {
            const scroller = grid.querySelector('[data-frame-scroller]');
            const bottom = scroller?.getBoundingClientRect().bottom ?? 0;
            const seqs = [...grid.querySelectorAll('[role="rowgroup"] [role="row"]')]
              .filter((r) => r.getBoundingClientRect().top < bottom)
              .map((r) => Number(r.querySelector('.c-seq')?.textContent ?? '0'));
            return { last: Math.max(...seqs), pill: grid.ownerDocument.querySelector('[data-testid="jump-pill"]')?.textContent?.trim() ?? '' };
          });
          return seen.pill === `↓ ${102 - seen.last} new frames` && seen.last > 42 && seen.last < 102;
        })
        .toBe(true);
      await expectPillCoversNoRow(page, jump);
      await shot(page, 'jump-pill');
      await jump.click();
      await expect(row(page, 102)).toBeVisible();
      await expect(jump).toHaveCount(0);

      // Pause: the rows stay, capture goes on, the pill counts what came and resumes.
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await burst(page, 10);
      const paused = page.getByTestId('paused-pill');
      await expect(paused).toHaveText('11 new frames — resume');
      await expect(row(page, 103)).toHaveCount(0);
      await expect(row(page, 102)).toBeVisible();
      await expectPillCoversNoRow(page, paused);
      await shot(page, 'paused');
      await paused.click();
      await expect(row(page, 113)).toBeVisible();
      await expect(paused).toHaveCount(0);

      // Clear: the log empties, the counter says how many were cleared; Export still has them.
      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await expect(page.getByTestId('frames-cleared')).toContainText('Cleared 113 frames from the log');
      await expect(frameCount(page)).toHaveText('0 frames');
      await expect(frames(page).locator('[role="rowgroup"] [role="row"]')).toHaveCount(0);
      await shot(page, 'cleared');
      await burst(page, 2);
      await expect(row(page, 116)).toBeVisible();
      await expect(frameCount(page)).toHaveText('3 frames');
      await shot(page, 'after-clear');
    });

    test('the web host: shortcuts that work in a browser, asking before closing, beforeunload', async ({ page }) => {
      test.setTimeout(90_000);
      await openInspector(page, host.url);
      // The browser keeps Ctrl+T / Ctrl+W: the page offers Alt+T / Alt+W.
      const guide = page.getByRole('region', { name: 'Getting started' });
      await expect(guide).toContainText('Alt+T new tab');
      await expect(guide).toContainText('Alt+W close tab');
      await expect(guide).not.toContainText('Ctrl+T');
      await expect(page.getByRole('button', { name: /New session/ })).toContainText('Alt+T');
      expect(await unloadWouldAsk(page), 'no session open: leaving is not questioned').toBe(false);
      await shot(page, 'shortcuts-web');

      const tabs = page.locator('.strip .tab');
      await page.keyboard.press('Alt+t');
      await expect(tabs).toHaveCount(2);
      await page.keyboard.press('Alt+w');
      await expect(tabs).toHaveCount(1);

      await connect(page, server.url, { mode: 'none' });
      await expect(stateOf(page)).toContainText('open');
      expect(await unloadWouldAsk(page), 'a session is open: leaving is questioned').toBe(true);

      // Alt+W on the open session's tab asks first.
      await frames(page).focus();
      await page.keyboard.press('Alt+w');
      const dialog = page.getByRole('dialog', { name: /^Close/ });
      await expect(dialog).toContainText('Its session is open');
      await shot(page, 'close-tab-confirm');
      await dialog.getByRole('button', { name: 'Keep open' }).click();
      await expect(dialog).toHaveCount(0);
      await expect(tabs).toHaveCount(1);

      // The browser's own prompt on closing the page.
      const asked = page.waitForEvent('dialog');
      await page.close({ runBeforeUnload: true });
      const prompt = await asked;
      expect(prompt.type()).toBe('beforeunload');
      await prompt.accept();
    });
  });
}
