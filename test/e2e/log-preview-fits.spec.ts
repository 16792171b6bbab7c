/**
 * Every cell of the frame log ends inside its row where classic scrollbars take their width
 * (Windows, Linux, headless Chromium without --hide-scrollbars, which this spec leaves out as
 * log-toolbar-order.spec.ts does). At 1024 px with the page's scrollbar and the rows' own, the
 * rows beside the detail pane are 479 px; every column at its narrowest needs 498, and the
 * Preview cell ran 18.6 px past the rows' edge: its text and its header cut with no "…". Now a
 * log that cannot hold every chosen column beside a scrollbar is compact (FrameLog.vue,
 * log-columns-fit.ts). Checked with a row selected at 1024 px, then at every width from 1000 to
 * 1120 px in steps of 4: no cell or header past the rows' edge, and every column where they all
 * fit (1120 px). A `ws` server on 127.0.0.1 (port 0) sends 80 long STOMP frames, an invalid one
 * and a ping. Screenshot: test-results/screenshots/preview-fits-1024.png (the log pane).
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

test.use({ launchOptions: { ...config.use?.launchOptions, ignoreDefaultArgs: ['--hide-scrollbars'] } });

const FRAMES = 80;
const message = (i: number): string =>
  `MESSAGE\ndestination:/topic/sensors/building-7/floor-3/room-${i}\nmessage-id:m-${i}\nsubscription:sub-0\n\n{"celsius":${20 + i / 10},"note":"a body long enough to fill any preview column"}\u0000`;

let host: WebHostProcess;
let wss: LocalWss | undefined;
let base: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    socket.send('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000');
    for (let i = 0; i < FRAMES; i++) socket.send(message(i));
    socket.send('BOGUS-COMMAND-THAT-NO-BROKER-SENDS\n\n\u0000');
    socket.ping(Buffer.from('hb'));
  });
  base = wss.base;
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

/** The log as laid out: its scrollbars, its headers, and each cell or header that ends past the rows' edge. */
interface LogLayout {
  pageScrollbar: number;
  rowsScrollbar: number;
  headers: string[];
  past: string[];
}

/** What the page function reads of an element (this file is compiled without the DOM's types). */
interface PageElement {
  className: string;
  textContent: string | null;
  offsetWidth: number;
  clientWidth: number;
  children: ArrayLike<PageElement>;
  getBoundingClientRect(): { left: number; right: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  ownerDocument: { defaultView: { innerWidth: number } | null; documentElement: { clientWidth: number } };
}

function layoutOf(page: Page): Promise<LogLayout> {
  return frames(page).evaluate((grid: PageElement) => {
    const doc = grid.ownerDocument;
    const scroller = grid.querySelector('[data-frame-scroller]');
    if (!scroller) throw new Error('no rows scroller');
    // The rows' edge: their scroller's client area ends where its scrollbar starts.
    const edge = scroller.getBoundingClientRect().left + scroller.clientWidth;
    const past: string[] = [];
    for (const row of Array.from(grid.querySelectorAll('.row:not(.placeholder)'))) {
      for (const cell of Array.from(row.children)) {
        const right = cell.getBoundingClientRect().right;
        if (right > edge + 0.5) past.push(`${cell.className} "${(cell.textContent ?? '').trim().slice(0, 20)}" ${(right - edge).toFixed(1)} px past`);
      }
    }
    return {
      pageScrollbar: (doc.defaultView?.innerWidth ?? 0) - doc.documentElement.clientWidth,
      rowsScrollbar: scroller.offsetWidth - scroller.clientWidth,
      headers: Array.from(grid.querySelectorAll('.head > [role="columnheader"]')).map((h) => h.className.split(' ').find((c) => c.startsWith('c-')) ?? ''),
      past,
    };
  });
}

async function openLongLog(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  await openInspector(page, host.url);
  await connect(page, `${base}/stomp-${width}`);
  await expect(stateOf(page)).toContainText('open');
  await expect(page.getByTestId('frame-count')).toHaveText(`${FRAMES + 4} frames`);
  await page.getByLabel('Decode', { exact: true }).selectOption('stomp');
  await expect(frames(page).locator('.c-summary.invalid')).toHaveCount(1);
  await frames(page).locator('.spacer .row:not(.placeholder)').nth(2).click();
  await expect(page.getByTestId('decoded-frame')).toBeVisible();
}

test('at 1024 px with classic scrollbars every cell ends inside its row', async ({ page }) => {
  await openLongLog(page, 1024);
  const layout = await layoutOf(page);
  expect(layout.rowsScrollbar, "the rows' scrollbar takes width (else this proves nothing)").toBeGreaterThan(0);
  expect(layout.past, `nothing past the rows' edge (page scrollbar ${layout.pageScrollbar} px)`).toEqual([]);
  // Compact: the Summary has the room, and a cut summary ends in "…".
  expect(layout.headers).toEqual(['c-seq', 'c-time', 'c-dir', 'c-size', 'c-summary']);
  const long = frames(page).locator('.spacer .row.selected .c-summary .summary-text');
  await expect(long).toHaveCSS('text-overflow', 'ellipsis');
  expect((await long.boundingBox())?.width ?? 0, 'the Summary has room').toBeGreaterThan(150);
  await page.locator('.frame-log').screenshot({ path: path.join(screenshotDir, 'preview-fits-1024.png') });
});

test('no width from 1000 to 1120 px puts a cell past the rows, and every column comes back where they fit', async ({ page }) => {
  await openLongLog(page, 1000);
  for (let width = 1000; width <= 1120; width += 4) {
    await page.setViewportSize({ width, height: 800 });
    await expect.poll(async () => (await layoutOf(page)).past, { message: `at ${width} px` }).toEqual([]);
  }
  await expect.poll(async () => (await layoutOf(page)).headers, { message: 'every column at 1120 px' }).toEqual(['c-seq', 'c-time', 'c-dir', 'c-type', 'c-size', 'c-summary', 'c-preview']);
});
