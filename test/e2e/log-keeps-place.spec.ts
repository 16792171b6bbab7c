/**
 * The log stays where the user is reading (Chromium through the web host): an imported
 * GraphQL over WebSocket log of 300,000 frames opened at its end. The user clicks the last
 * row (the detail pane opens on it), the engine reads up to it while the rows are asked again
 * every 2 s, the user clicks it again and the window is resized. In every animation frame of
 * all that, the page itself notes the log's first visible row and its scrollTop: the first
 * visible row never leaves the neighbourhood of the selected one, since the user never
 * scrolled. Screenshots: test-results/screenshots/keeps-place-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { frames, saveScreenshot } from './support/inspector';
import { farGraphqlLogInWebHost } from './support/far-graphql-log';

const FRAMES = 300_000;

const farLog = farGraphqlLogInWebHost(FRAMES, 'keeps-place');

interface Sample {
  /** What the test was doing (set by `mark`). */
  step: string;
  scrollTop: number;
  /** The seq of the first row wholly or partly inside the scroller's box, loaded or not (null: none). */
  firstSeq: number | null;
}

/** What the in-page functions use of the page (this project's node tsconfig has no DOM types). */
interface PageBox {
  top: number;
  bottom: number;
}
interface PageElement {
  scrollTop: number;
  getBoundingClientRect(): PageBox;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
interface PageGlobals {
  __samples: Sample[];
  __step: string;
  __sampling: boolean;
  document: { querySelector(selector: string): PageElement | null };
  requestAnimationFrame(callback: () => void): number;
}

/** From now on the page notes, at every animation frame, the log's scrollTop and first visible row. */
async function startSampling(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__samples = [];
    w.__step = 'start';
    w.__sampling = true;
    const tick = (): void => {
      if (!w.__sampling) return;
      const scroller = w.document.querySelector('[data-frame-scroller]');
      if (scroller) {
        const box = scroller.getBoundingClientRect();
        let first: { top: number; seq: number } | null = null;
        for (const row of scroller.querySelectorAll('[role="row"]')) {
          const r = row.getBoundingClientRect();
          if (r.bottom <= box.top + 1 || r.top >= box.bottom - 1) continue;
          if (!first || r.top < first.top) {
            // aria-rowindex counts the header row: the frame at position p (seq p + 1 here) is p + 2.
            first = { top: r.top, seq: Number(row.getAttribute('aria-rowindex')) - 1 };
          }
        }
        w.__samples.push({ step: w.__step, scrollTop: scroller.scrollTop, firstSeq: first ? first.seq : null });
      }
      w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
}

async function mark(page: Page, step: string): Promise<void> {
  await page.evaluate((s) => {
    (globalThis as unknown as PageGlobals).__step = s;
  }, step);
}

/** Waits for `n` more animation frames to be sampled. */
async function framesPass(page: Page, n: number): Promise<void> {
  await page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const next = (): void => {
          left -= 1;
          if (left <= 0) resolve();
          else (globalThis as unknown as PageGlobals).requestAnimationFrame(next);
        };
        (globalThis as unknown as PageGlobals).requestAnimationFrame(next);
      }),
    n,
  );
}

async function samples(page: Page): Promise<Sample[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__samples);
}

/** Every frame sampled so far showed the last row's neighbourhood (within about two screens of it). */
async function expectStayedNearEnd(page: Page): Promise<void> {
  const seen = await samples(page);
  expect(seen.length).toBeGreaterThan(0);
  const away = seen.filter((s) => s.firstSeq === null || s.firstSeq < FRAMES - 60);
  expect(away, `animation frames where the log left the selected row: ${JSON.stringify(away.slice(0, 5))}`).toEqual([]);
}

function row(page: Page, seq: number) {
  return frames(page).locator(`[role="row"][id$="-${seq}"]`);
}

test('the log keeps the selected last row in view through the detail pane, decodings asked again and a resize', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await farLog.importInto(page);
  await expect(row(page, FRAMES)).toBeVisible();
  await startSampling(page);

  // The click: the detail pane opens on the row (its decoding not exact yet: asked again every 2 s).
  await mark(page, 'click');
  await row(page, FRAMES).click();
  await expect(page.getByTestId('decoded-frame')).toBeVisible();
  await framesPass(page, 10);
  await saveScreenshot(page, 'keeps-place-clicked');
  await expectStayedNearEnd(page);

  // The engine reads up to the row; its summary turns exact after some of the 2 s re-asks.
  await mark(page, 're-ask');
  await expect(row(page, FRAMES).locator('.c-summary')).toHaveText(/^(↩ )?next #far-1 \(subscription OnFar\)$/, { timeout: 180_000 });
  await framesPass(page, 10);

  await mark(page, 'click again');
  await row(page, FRAMES).click();
  await expect(page.getByTestId('decoded-frame').locator('header .summary')).toHaveText('next #far-1 (subscription OnFar)');
  await framesPass(page, 10);

  await mark(page, 'resize smaller');
  await page.setViewportSize({ width: 1100, height: 640 });
  await framesPass(page, 10);
  await mark(page, 'resize larger');
  await page.setViewportSize({ width: 1280, height: 900 });
  await framesPass(page, 10);
  await saveScreenshot(page, 'keeps-place-resized');

  expect((await samples(page)).length).toBeGreaterThan(50);
  await expectStayedNearEnd(page);
  await expect(page.getByRole('button', { name: /Jump to latest/ })).toHaveCount(0);
});
