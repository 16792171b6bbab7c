/**
 * The frame log's toolbar and header as keyboard users and classic scrollbars meet them, at
 * 1024, 1280 and 1600 px, light and dark, with a row selected, a Field filter and a decoded
 * search (the state decoder-views-sizes.spec.ts counts lines in):
 * - Tab meets the toolbar's controls in reading order, left to right then top to bottom (at
 *   1024 px it reached Go to # and Export before the search box, though they are drawn after
 *   the match steps);
 * - the header's column edges are its cells' edges to 1 px while the rows scroll with a
 *   scrollbar that takes width (the header's Summary and Preview sat 15 px wider at 1280 px).
 * Playwright starts headless Chromium with --hide-scrollbars; this spec leaves it out, so the
 * rows get the 15 px scrollbar of Windows, Linux with classic scrollbars and headless Chromium.
 * A `ws` server on 127.0.0.1 (port 0) sends 121 STOMP frames. Screenshots:
 * test-results/screenshots/toolbar-order-<width>-<theme>.png (the log pane).
 */
import { expect, test, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { boxOf } from './support/box-of';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, screenshotDir, stateOf } from './support/inspector';
import { readingOrderProblems, tabStops } from './support/reading-order';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';
import path from 'node:path';

test.use({ launchOptions: { ...config.use?.launchOptions, ignoreDefaultArgs: ['--hide-scrollbars'] } });

const FRAMES = 120;
const message = (i: number): string =>
  `MESSAGE\ndestination:/topic/prices\nmessage-id:m-${i}\nsubscription:sub-0\ncontent-type:application/json\n\n{"payload":{"data":{"price":{"sym":"S7","bid":${100 + i}}}}}\u0000`;

let host: WebHostProcess;
let wss: LocalWss | undefined;
let base: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    socket.send('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000');
    for (let i = 0; i < FRAMES; i++) socket.send(message(i));
  });
  base = wss.base;
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

/** The log with every frame in, STOMP decoding, a row selected, a Field filter and a decoded search. */
async function openBusyLog(page: Page): Promise<void> {
  await openInspector(page, host.url);
  await connect(page, `${base}/stomp`);
  await expect(stateOf(page)).toContainText('open');
  await expect(page.getByTestId('frame-count')).toHaveText(`${FRAMES + 1} frames`);
  await page.getByLabel('Decode', { exact: true }).selectOption('stomp');
  await frames(page).locator('.spacer .row:not(.placeholder)').nth(3).click();
  await page.getByRole('button', { name: /^Field/ }).click();
  const form = page.getByRole('dialog', { name: 'Decoded field' });
  await form.getByLabel('Field').selectOption('destination');
  await form.getByLabel('Value').fill('/topic/prices');
  await form.getByRole('button', { name: 'Apply' }).click();
  await page.getByLabel('Search mode').selectOption('decoded');
  await page.getByLabel('Search frames').fill('$.body.payload.data.price.bid > 101');
  await expect(page.getByTestId('match-count')).toHaveText(/ of 118$/);
}

/**
 * Each header cell's left and right edges against the first row's cell, in px (row minus header),
 * for the columns the header has: at 1024 px the rows beside their scrollbar cannot hold every
 * column, and the log is compact (no Type or Preview; log-preview-fits.spec.ts).
 */
async function columnOffsets(page: Page): Promise<Record<string, { left: number; right: number }>> {
  const offsets: Record<string, { left: number; right: number }> = {};
  const shown = await frames(page)
    .locator('.head > [role="columnheader"]')
    .evaluateAll((heads: Array<{ className: string }>) => heads.map((h) => h.className.split(' ').find((c) => c.startsWith('c-')) ?? ''));
  expect(shown, 'the header has its Summary').toContain('c-summary');
  for (const column of shown) {
    const head = await boxOf(frames(page).locator(`.head .${column}`));
    const cell = await boxOf(frames(page).locator(`.spacer .row:not(.placeholder) .${column}`).first());
    offsets[column] = { left: cell.x - head.x, right: cell.x + cell.width - (head.x + head.width) };
  }
  return offsets;
}

for (const width of [1024, 1280, 1600]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`log toolbar and header at ${width} px, ${theme}`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: theme });
      await openBusyLog(page);

      // The rows scroll with a scrollbar that takes width (else this proves nothing).
      const scrollbar = await frames(page)
        .locator('[data-frame-scroller]')
        .evaluate((el: { offsetWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number }) => ({
          width: el.offsetWidth - el.clientWidth,
          scrolls: el.scrollHeight > el.clientHeight,
        }));
      expect(scrollbar.scrolls, 'the rows scroll').toBe(true);
      expect(scrollbar.width, "the rows' scrollbar takes width").toBeGreaterThan(0);
      for (const [column, { left, right }] of Object.entries(await columnOffsets(page))) {
        expect(Math.abs(left), `the ${column} header's left edge over its cells'`).toBeLessThanOrEqual(1);
        expect(Math.abs(right), `the ${column} header's right edge over its cells'`).toBeLessThanOrEqual(1);
      }

      // Tab from the toolbar's first control to past its last: each stop after the one before.
      const filterBar = page.locator('.filter-bar');
      const stops = await tabStops(page, filterBar.getByRole('button', { name: 'All', exact: true }), '.filter-bar');
      const names = stops.map((s) => s.name);
      for (const name of ['Search frames', 'Next match', 'Only matches', 'Go to #', 'Export ▾', 'Clear all']) {
        expect(names, `Tab reaches ${name}`).toContain(name);
      }
      expect(readingOrderProblems(stops), `Tab order at ${width} px: ${names.join(' → ')}`).toEqual([]);

      await page.locator('.frame-log').screenshot({ path: path.join(screenshotDir, `toolbar-order-${width}-${theme}.png`) });
    });
  }
}

test('Go to # keeps the focus when the bar narrows and the control moves under the steps', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openBusyLog(page);
  const goTo = page.getByLabel('Go to #');
  const searchTop = (await boxOf(page.getByLabel('Search frames'))).y;
  await goTo.focus();
  expect((await boxOf(goTo)).y, 'beside the Field filter, above the search').toBeLessThan(searchTop);
  await page.setViewportSize({ width: 1024, height: 800 });
  await expect.poll(async () => (await boxOf(goTo)).y, { message: 'under the search at 1024 px' }).toBeGreaterThan(searchTop);
  await expect(goTo).toBeFocused();
  await page.keyboard.type('7');
  await page.keyboard.press('Enter');
  await expect(frames(page).locator('.spacer .row.selected .c-seq')).toHaveText('7');
});
