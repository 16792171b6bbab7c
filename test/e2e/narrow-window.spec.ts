/**
 * The web host in a narrow browser window (docked to half of a small screen) at 480, 600, 800
 * and 900 px wide, light and dark. The desktop window has a 900 px minimum; a browser has none, and
 * at 600 px the 210 px sidebar left the URL field 30 px and the log 90 px.
 * - No horizontal overflow: the page, the tab panel, and no element past the right edge unless
 *   an ancestor clips it on purpose (an ellipsis, the tab list that scrolls).
 * - The URL field is at least 200 px wide; Connect and the proxy line are in view.
 * - Below 760 px the sidebar is a drawer: the "Sessions and profiles" button opens it (focus
 *   moves in), Escape and a click outside close it (focus back on the button), and choosing a
 *   session in it shows that session and closes it. At 800 px the sidebar is a column as before.
 * - A connected session's log rows, its toolbar and the detail pane are within the viewport;
 *   below 760 px the detail pane is under the log (at 600 px the log had 90 px beside it). At
 *   every width the log's search box, Match case and Export are inside the log pane.
 * A `ws` server on 127.0.0.1 (port 0) greets with 12 JSON frames and echoes. Screenshots:
 * test-results/screenshots/narrow-<width>-<theme>-{setup,drawer,session,session-end}.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { boxOf } from './support/box-of';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const GREETING = 12;
/** Below this width the sidebar is a drawer (App.vue's breakpoint). */
const DRAWER_BELOW = 760;

let host: WebHostProcess;
let wss: LocalWss | undefined;
let base: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    for (let i = 0; i < GREETING; i++) socket.send(JSON.stringify({ event: 'price', seq: i, symbol: 'NARROW', bid: 100 + i, note: 'a long enough payload to fill the preview column of the log' }));
  });
  base = wss.base;
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

/** The little of the DOM the overflow check reads (the e2e tsconfig has no DOM library). */
interface PageElement {
  tagName: string;
  classList: { contains(name: string): boolean } & Iterable<string>;
  parentElement: PageElement | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): { right: number; width: number; height: number };
}
interface PageGlobals {
  innerWidth: number;
  document: { documentElement: PageElement; querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> };
  getComputedStyle(element: PageElement): { overflowX: string; visibility: string };
}

/**
 * What runs off the right edge: the page's and the tab panel's horizontal overflow, and each
 * visible element past the viewport that no ancestor below the tab panel clips on purpose.
 */
async function overflow(page: Page): Promise<{ page: number; panel: number; elements: string[] }> {
  return page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const limit = w.innerWidth + 1;
    const panel = w.document.querySelector('.tab-panel');
    const clippedByAncestor = (el: PageElement): boolean => {
      for (let up = el.parentElement; up && up !== panel && !up.classList.contains('workspace'); up = up.parentElement) {
        if (w.getComputedStyle(up).overflowX !== 'visible' && up.getBoundingClientRect().right <= limit) return true;
      }
      return false;
    };
    const elements: string[] = [];
    for (const el of w.document.querySelectorAll('.workspace *')) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || rect.right <= limit) continue;
      if (w.getComputedStyle(el).visibility === 'hidden' || clippedByAncestor(el)) continue;
      elements.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right ${Math.round(rect.right)}`);
    }
    return {
      page: w.document.documentElement.scrollWidth - w.innerWidth,
      panel: panel ? panel.scrollWidth - panel.clientWidth : 0,
      elements: elements.slice(0, 12),
    };
  });
}

async function expectNoOverflow(page: Page, where: string): Promise<void> {
  const found = await overflow(page);
  expect(found.page, `${where}: the page scrolls sideways by`).toBeLessThanOrEqual(0);
  expect(found.panel, `${where}: the tab panel scrolls sideways by`).toBeLessThanOrEqual(0);
  expect(found.elements, `${where}: elements past the right edge`).toEqual([]);
}

async function expectWithin(page: Page, locator: Locator, what: string): Promise<void> {
  const box = await boxOf(locator);
  const width = page.viewportSize()?.width ?? 0;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(width + 1);
}

const drawerButton = (page: Page) => page.getByRole('button', { name: 'Sessions and profiles' });
const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Sessions' });

for (const width of [480, 600, 800, 900]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`usable at ${width} px, ${theme}`, async ({ page }) => {
      await page.setViewportSize({ width, height: 700 });
      await page.emulateMedia({ colorScheme: theme });
      await openInspector(page, host.url);
      const url = page.getByLabel('URL', { exact: true });
      // Its own path: sessions of the tests before stay on the host ("Not in a tab").
      const target = `${base}/narrow-${width}-${theme}`;
      await url.fill(target);

      // The setup form: the URL field takes the line, Connect and the proxy line are in view.
      await expect(page.locator('[data-testid="environment-picker"]')).toBeVisible();
      expect((await boxOf(url)).width, 'the URL field is at least 200 px wide').toBeGreaterThanOrEqual(200);
      await expectWithin(page, url, 'the URL field');
      await expectWithin(page, page.getByRole('button', { name: 'Connect', exact: true }), 'Connect');
      await expectWithin(page, page.getByLabel('Proxy', { exact: true }), 'the proxy choice');
      await expectWithin(page, page.locator('.proxy .decision'), "the proxy's explanation");
      await page.locator('.advanced .summary').click();
      await expect(page.getByLabel('Subprotocols')).toBeVisible();
      await expectNoOverflow(page, 'the setup form, options open');
      await saveScreenshot(page, `narrow-${width}-${theme}-setup`);
      await page.locator('.advanced .summary').click();

      if (width >= DRAWER_BELOW) {
        // Wide enough: the sidebar is the column it always was, no drawer button.
        await expect(drawerButton(page)).toHaveCount(0);
        await expect(sidebar(page)).toBeVisible();
        expect((await boxOf(sidebar(page))).x).toBe(0);
      } else {
        // Closed: out of view and out of the Tab order.
        await expect(sidebar(page)).toBeHidden();
        await expect(drawerButton(page)).toHaveAttribute('aria-expanded', 'false');
        // Keyboard: Enter opens it with the focus inside, Escape closes it with the focus back.
        await drawerButton(page).focus();
        await page.keyboard.press('Enter');
        await expect(sidebar(page)).toBeVisible();
        await expect(drawerButton(page)).toHaveAttribute('aria-expanded', 'true');
        await expect(sidebar(page).locator(':focus'), 'focus in the drawer').toHaveCount(1);
        await expectWithin(page, sidebar(page), 'the open drawer');
        await saveScreenshot(page, `narrow-${width}-${theme}-drawer`);
        await page.keyboard.press('Escape');
        await expect(sidebar(page)).toBeHidden();
        await expect(drawerButton(page)).toBeFocused();
        await expect(drawerButton(page)).toHaveAttribute('aria-expanded', 'false');
        // A click outside it closes it.
        await drawerButton(page).click();
        await expect(sidebar(page)).toBeVisible();
        await page.mouse.click(width - 10, 400);
        await expect(sidebar(page)).toBeHidden();
        await expect(drawerButton(page)).toBeFocused();
      }

      // A connected session: the log keeps the width, the detail pane goes under it.
      await connect(page, target);
      await expect(stateOf(page)).toContainText('open');
      await expect(page.getByTestId('frame-count')).toHaveText(`${GREETING} frames`);
      // Folded to one line beside the route (at 800 px, above the breakpoint, it is narrower, as before).
      if (width < DRAWER_BELOW) expect((await boxOf(url)).width, 'the URL field, folded, is at least 200 px wide').toBeGreaterThanOrEqual(200);
      await expectWithin(page, page.getByRole('button', { name: 'Disconnect', exact: true }), 'Disconnect');
      // Not hidden in a squeezed, scrolled top part: the URL line shows in full above the log.
      expect((await boxOf(page.locator('.setup .url-line'))).height, 'the URL line, whole').toBeGreaterThanOrEqual(28);
      const rows = frames(page).locator('.spacer .row:not(.placeholder)');
      await rows.nth(2).click();
      await expectWithin(page, frames(page), 'the log');
      await expectWithin(page, rows.first(), 'a log row');
      await expectWithin(page, page.locator('.filter-bar'), "the log's toolbar");
      await expectWithin(page, page.getByLabel('Search frames'), 'the search box');
      await expectWithin(page, page.locator('.frame-detail'), 'the detail pane');
      await expectWithin(page, page.getByLabel('Message', { exact: true }), 'the composer');
      const log = await boxOf(page.locator('.frame-log'));
      // At every width the log's toolbar stays in the log pane (at 800 px, beside the detail, the
      // search box reached 110 px over the detail pane until the query line wrapped).
      for (const [what, control] of [['the search box', page.getByLabel('Search frames')], ['Match case', page.getByRole('button', { name: 'Match case' })], ['Export', page.getByRole('button', { name: 'Export ▾' })]] as const) {
        const box = await boxOf(control);
        expect(box.x + box.width, `${what} inside the log pane, not over the detail`).toBeLessThanOrEqual(log.x + log.width + 1);
      }
      if (width < DRAWER_BELOW) {
        expect(log.width, 'the log is as wide as the window').toBeGreaterThanOrEqual(width - 20);
        const detail = await boxOf(page.locator('.frame-detail'));
        expect(detail.y, 'the detail pane is under the log').toBeGreaterThanOrEqual(log.y + log.height - 1);
        expect(detail.height, 'the detail pane has room').toBeGreaterThanOrEqual(180);
        expect(log.height, 'the log has room').toBeGreaterThanOrEqual(300);
      } else {
        // Above the breakpoint the log stays beside the detail (308 px at 800, 408 at 900).
        expect(log.width, 'the log beside the detail').toBeGreaterThanOrEqual(280);
      }
      await expectNoOverflow(page, 'a connected session');
      // The window as it opens on the session, then with the tab panel scrolled to its end.
      const panel = page.locator('.tab-panel');
      await panel.evaluate((el) => el.scrollTo(0, 0));
      if (width < DRAWER_BELOW) expect(await page.locator('.upper').evaluate((el) => el.scrollHeight <= el.clientHeight + 1), 'the top part does not scroll on its own').toBe(true);
      await saveScreenshot(page, `narrow-${width}-${theme}-session`);
      await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await saveScreenshot(page, `narrow-${width}-${theme}-session-end`);

      // The composer at the bottom sends (scrolled to when the panel scrolls).
      await page.getByLabel('Message', { exact: true }).fill('hello narrow');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect(frames(page).getByRole('row').filter({ hasText: 'hello narrow' })).toHaveCount(2);

      if (width < DRAWER_BELOW) {
        // Choosing a session in the drawer shows it and closes the drawer.
        await page.getByRole('button', { name: 'Add tab' }).click();
        await expect(page.getByText('Open a WebSocket connection')).toBeVisible();
        await drawerButton(page).click();
        await sidebar(page).getByRole('button', { name: new RegExp(`^(?!Adopt).*narrow-${width}-${theme}`) }).click();
        await expect(sidebar(page)).toBeHidden();
        await expect(page.getByTestId('frame-count')).toHaveText(`${GREETING + 2} frames`);
        await expect(drawerButton(page)).toBeFocused();
        await expectNoOverflow(page, 'back on the connected session');
      }
    });
  }
}
