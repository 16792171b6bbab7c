/**
 * One million frames in Chromium through the web host: the store's default bound, and more
 * rows than the browser lets an element be tall (1,000,000 × 22 px is past Chromium's ~16.7 M
 * px), so the log's spacer is capped and the scroll position mapped onto the rows. The log
 * follows the live end, jumps to a seq, scrolls to the top, the middle and the end (by the
 * scrollbar's position and by the keyboard), and every time it shows the right rows,
 * consecutive. Screenshots: test-results/screenshots/million-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { connect, frames, openInspector, screenshotDir, stateOf } from './support/inspector';
import { startRawFloodServer, type RawFloodServer } from './support/raw-flood-server';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

/** Data frames; with the server's close and ours the session holds exactly 1,000,000 frames. */
const MESSAGES = 999_998;
const TOTAL = MESSAGES + 2;
/** What Chromium lets an element be, about 2^24 px. */
const CHROMIUM_MAX_ELEMENT_HEIGHT = 16_777_216;

let host: WebHostProcess;
let flood: RawFloodServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  flood = await startRawFloodServer(MESSAGES);
});

test.afterAll(async () => {
  await host?.stop();
  await flood?.close();
});

async function saveScreenshot(page: Page, state: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${state}.png`) });
}

function row(page: Page, seq: number) {
  return frames(page).locator(`[role="row"][id$="-${seq}"]`);
}

/** The seqs of the rows fully inside the log's viewport, top to bottom. */
async function visibleSeqs(page: Page): Promise<number[]> {
  return page.locator('[data-frame-scroller]').evaluate((scroller) => {
    const box = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll('[role="row"]')]
      .filter((r) => {
        const b = r.getBoundingClientRect();
        return b.top >= box.top - 1 && b.bottom <= box.bottom + 1;
      })
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((r) => Number(r.querySelector('.c-seq')?.textContent ?? 'NaN'));
  });
}

/**
 * Drags the scrollbar's thumb to a fraction of its range, as the browser reports a drag: a
 * pointerdown on the scroller, the scroll, the pointerup. (The log takes a scroll nobody asked
 * for, such as the browser's scroll anchoring, back; one during a pointer press is the user's.)
 */
async function scrollToFraction(page: Page, fraction: number): Promise<void> {
  const scroller = page.locator('[data-frame-scroller]');
  await scroller.dispatchEvent('pointerdown');
  await scroller.evaluate((element, f) => {
    element.scrollTop = (element.scrollHeight - element.clientHeight) * f;
  }, fraction);
  await page.locator('body').dispatchEvent('pointerup');
}

function expectConsecutive(seqs: number[]): void {
  expect(seqs.length).toBeGreaterThan(10);
  expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
}

test("a million frames: follows the live end, jumps, and scrolls past the browser's height limit", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openInspector(page, host.url);
  await connect(page, flood.url, { mode: 'none' });
  await expect(page.getByTestId('frame-count')).toHaveText('1,000,000 frames', { timeout: 120_000 });
  await expect(stateOf(page)).toContainText('closed');
  // Following the live end: our close, the last frame, is on screen; nothing was dropped.
  await expect(row(page, TOTAL)).toBeVisible();
  await expect(page.locator('.banner.dropped')).toHaveCount(0);

  // The spacer is capped below what Chromium allows, though the rows would be taller.
  const geometry = await page.locator('[data-frame-scroller]').evaluate((scroller) => ({
    spacer: scroller.scrollHeight,
    rowHeight: scroller.querySelector('[role="row"]')?.getBoundingClientRect().height ?? 0,
  }));
  expect(geometry.rowHeight * TOTAL).toBeGreaterThan(CHROMIUM_MAX_ELEMENT_HEIGHT);
  expect(geometry.spacer).toBeLessThan(CHROMIUM_MAX_ELEMENT_HEIGHT);
  await saveScreenshot(page, 'million-live-end');

  // Go to #1, #500,000 and #999,998: each selected, on screen, with its own payload.
  const goTo = page.getByLabel('Go to #');
  for (const seq of [1, 500_000, MESSAGES]) {
    await goTo.fill(String(seq));
    await goTo.press('Enter');
    await expect(row(page, seq)).toBeVisible();
    await expect(row(page, seq)).toHaveAttribute('aria-selected', 'true');
    await expect(row(page, seq)).toContainText(`frame ${String(seq).padStart(10, '0')}`);
  }
  await expect(page.locator('.frame-detail')).toContainText(`frame ${String(MESSAGES).padStart(10, '0')}`);

  // The scrollbar at its top, middle and end shows the first, middle and last rows.
  await scrollToFraction(page, 0);
  await expect.poll(async () => (await visibleSeqs(page))[0]).toBe(1);
  expectConsecutive(await visibleSeqs(page));
  await scrollToFraction(page, 0.5);
  await expect.poll(async () => Math.abs(((await visibleSeqs(page))[0] ?? 0) - TOTAL / 2)).toBeLessThan(TOTAL / 100);
  expectConsecutive(await visibleSeqs(page));
  await saveScreenshot(page, 'million-middle');
  await scrollToFraction(page, 1);
  await expect.poll(async () => (await visibleSeqs(page)).at(-1)).toBe(TOTAL);
  expectConsecutive(await visibleSeqs(page));

  // The mouse wheel from the middle moves a few rows at a time, down and back up.
  await scrollToFraction(page, 0.5);
  await expect.poll(async () => (await visibleSeqs(page)).length).toBeGreaterThan(10);
  const before = (await visibleSeqs(page))[0] ?? 0;
  await page.locator('[data-frame-scroller]').hover();
  await page.mouse.wheel(0, 220);
  await expect.poll(async () => (await visibleSeqs(page))[0] ?? 0).toBeGreaterThan(before);
  const after = await visibleSeqs(page);
  expectConsecutive(after);
  // 220 px is ten 22 px rows; the capped spacer scales that by under 1.5.
  expect((after[0] ?? 0) - before).toBeLessThanOrEqual(16);
  await page.mouse.wheel(0, -220);
  await expect.poll(async () => (await visibleSeqs(page))[0] ?? 0).toBeLessThan(after[0] ?? 0);

  // The keyboard: Home selects and shows the first frame, End the last.
  await frames(page).focus();
  await page.keyboard.press('Home');
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, 1)).toBeVisible();
  await page.keyboard.press('End');
  await expect(row(page, TOTAL)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, TOTAL)).toBeVisible();
  // The first PageUp selects the row at the top of the page (nothing scrolls), the second scrolls.
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await expect(frames(page).locator('[role="row"][aria-selected="true"]')).toBeVisible();
  await expect.poll(async () => (await visibleSeqs(page)).includes(TOTAL)).toBe(false);
  expectConsecutive(await visibleSeqs(page));
  await saveScreenshot(page, 'million-keyboard');
});
