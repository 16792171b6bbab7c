/**
 * The log's Summary column where the log is narrow (issue 14 QA): at 900 px, the desktop
 * window's minimum, the log beside the detail pane is about 408 px and its fixed columns took
 * about 346 px, so the summaries were cut at the pane's edge with no "…" ("PUBLISH sen",
 * "⚠ invalid p"). Checked at 900, 1024 and 1280 px with a row selected: every Summary cell is
 * inside the log, a summary cut in its cell ends in an ellipsis with the whole text in its
 * tooltip, the headers sit over their cells, and the detail pane has the whole summary. At 900 px
 * and 1024 px the log is compact (no Type or Preview column; the Summary has room for a useful
 * part of the text, and a ping, which has no summary, still says what it is); at 1280 px it keeps
 * every column, the Summary at least 20ch. Then every width from 900 to 1100 px: no Summary cell ends past the log's edge.
 * A scripted `ws` server on 127.0.0.1 (port 0) sends STOMP with long destinations and a frame
 * that is not valid. Screenshots: test-results/screenshots/summary-narrow-<width>.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { boxOf } from './support/box-of';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const LONG_DESTINATION = '/topic/sensors/building-7/floor-3/room-12/temperature';
const STOMP = [
  'CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000',
  `MESSAGE\ndestination:${LONG_DESTINATION}\nmessage-id:m-1\nsubscription:sub-0\n\n{"celsius":21.5}\u0000`,
  'BOGUS-COMMAND-THAT-NO-BROKER-SENDS\n\n\u0000',
  'MESSAGE\ndestination:/q\nmessage-id:m-2\nsubscription:sub-0\n\n{}\u0000',
];

let host: WebHostProcess;
let wss: LocalWss | undefined;
let base: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    for (const frame of STOMP) socket.send(frame);
    socket.ping(Buffer.from('hb'));
  });
  base = wss.base;
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

/** What a Summary cell shows and holds, read from the page. */
interface SummaryState {
  text: string;
  title: string;
  cut: boolean;
  overflow: string;
  right: number;
  width: number;
}

function summaries(page: Page): Promise<SummaryState[]> {
  return frames(page)
    .locator('.spacer .row:not(.placeholder) .c-summary')
    .evaluateAll((cells: Array<{ title: string; getBoundingClientRect(): { right: number; width: number }; querySelector(s: string): unknown }>) =>
      cells.map((cell) => {
        const text = cell.querySelector('.summary-text') as { textContent: string | null; scrollWidth: number; clientWidth: number };
        const style = (globalThis as unknown as { getComputedStyle(el: unknown): { textOverflow: string } }).getComputedStyle(text);
        const box = cell.getBoundingClientRect();
        return { text: text.textContent ?? '', title: cell.title, cut: text.scrollWidth > text.clientWidth, overflow: style.textOverflow, right: box.right, width: box.width };
      }),
    );
}

for (const width of [900, 1024, 1280]) {
  test(`summaries readable at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await openInspector(page, host.url);
    await connect(page, `${base}/stomp-${width}`);
    await expect(stateOf(page)).toContainText('open');
    await page.getByLabel('Decode', { exact: true }).selectOption('stomp');
    const longRow = frames(page).locator('.spacer .row:not(.placeholder)').filter({ hasText: 'MESSAGE /topic/sensors' });
    await expect(longRow).toHaveCount(1);
    await expect(frames(page).locator('.c-summary.invalid')).toHaveCount(1);
    await expect(frames(page).locator('.spacer .row.op-ping')).toHaveCount(1);
    await longRow.click();
    await expect(page.getByTestId('decoded-frame')).toContainText(LONG_DESTINATION);
    await saveScreenshot(page, `summary-narrow-${width}`);

    // Compact where the log cannot give the Summary 20ch beside every column: at 900 and 1024 px
    // (at 1024 px it kept Type and Preview, and the Summary had 101 px: "emit 'chat' …").
    const compact = width < 1280;
    await expect(frames(page).locator('.head .c-type')).toHaveCount(compact ? 0 : 1);
    await expect(frames(page).locator('.head .c-preview')).toHaveCount(compact ? 0 : 1);
    const grid = await boxOf(frames(page));
    const cells = await summaries(page);
    expect(cells.length).toBeGreaterThanOrEqual(5);
    for (const cell of cells) {
      expect(cell.right, `"${cell.text}" inside the log`).toBeLessThanOrEqual(grid.x + grid.width + 0.5);
      if (cell.cut) {
        expect(cell.overflow, `"${cell.text}", cut, ends in an ellipsis`).toBe('ellipsis');
        expect(cell.title, `"${cell.text}", cut, whole in its tooltip`).toContain(cell.text.replace(/^[⚠↩≈] /, ''));
      }
    }
    const long = cells.find((c) => c.text.includes(LONG_DESTINATION));
    expect(long, 'the long MESSAGE summary').toBeDefined();
    expect(long?.title).toContain(LONG_DESTINATION);
    // Room for a useful part of it (at 900 px the cell was 101 px, 14 characters, and ran 33 px past the pane's edge).
    expect(long?.width ?? 0, 'the Summary cell has room').toBeGreaterThanOrEqual(170);
    if (compact) {
      // The ping has no summary: compact, its row still says what it is.
      await expect(frames(page).locator('.spacer .row.op-ping .c-summary')).toHaveText('ping 68 62');
    }
    // Each header inside the log and over its cells.
    for (const head of await frames(page).locator('.head > [role="columnheader"]').all()) {
      const column = ((await head.getAttribute('class')) ?? '').split(' ').find((c) => c.startsWith('c-')) ?? '';
      const [h, c] = [await boxOf(head), await boxOf(frames(page).locator(`.spacer .row:not(.placeholder) .${column}`).first())];
      expect(h.x + h.width, `the ${column} header inside the log`).toBeLessThanOrEqual(grid.x + grid.width + 0.5);
      expect(Math.abs(h.x - c.x), `the ${column} header over its cells`).toBeLessThan(1);
    }
  });
}

/** Summary cells that end past the log's right edge, as "<text>: <px> over". */
function cellsPastTheEdge(page: Page): Promise<string[]> {
  return frames(page).evaluate((grid: { getBoundingClientRect(): { right: number }; querySelectorAll(s: string): ArrayLike<{ textContent: string | null; getBoundingClientRect(): { right: number } }> }) => {
    const edge = grid.getBoundingClientRect().right;
    return Array.from(grid.querySelectorAll('.row .c-summary'))
      .filter((cell) => cell.getBoundingClientRect().right > edge + 0.5)
      .map((cell) => `${cell.textContent ?? ''}: ${cell.getBoundingClientRect().right - edge} px over`);
  });
}

test('no width from 900 to 1100 px cuts the summaries at the edge', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 800 });
  await openInspector(page, host.url);
  await connect(page, `${base}/stomp-sweep`);
  await expect(stateOf(page)).toContainText('open');
  await page.getByLabel('Decode', { exact: true }).selectOption('stomp');
  await expect(frames(page).locator('.c-summary.invalid')).toHaveCount(1);
  await frames(page).locator('.spacer .row:not(.placeholder)').nth(1).click();
  for (let width = 900; width <= 1100; width += 3) {
    await page.setViewportSize({ width, height: 800 });
    await expect.poll(() => cellsPastTheEdge(page), { message: `at ${width} px` }).toEqual([]);
  }
});
