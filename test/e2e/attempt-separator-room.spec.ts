/**
 * The attempt separators' labels cover no row (QA L4: "attempt 2 …" hid the start of the row
 * below it). A tab with the Reconnect row on connects to a server that drops its first two
 * connections (one separator above the first row), the server cuts the open connection (Now:
 * a separator between the two attempts' frames) and cuts it again (Cancel: a separator below
 * the last row). With Decode Socket.IO the log has a Summary column, so it is compact at
 * 1024 px beside the detail pane and not at 1280 px; 1.25 and 1.5 device pixels per CSS pixel
 * stand in for the app's zoom. Each separator's label lies inside its separator, wholly in the
 * log, and neither the label nor the separator overlaps any row. The rows are as many as the
 * frames (the separators are no rows of the list). Screenshots:
 * test-results/screenshots/attempt-separators-<width>-<scale>.png.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startFlakyServer, type FlakyServer } from '../support/flaky-ws-server';
import { boxOf, overlapArea, type Box } from './support/box-of';
import { frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { useWebHost } from './support/shared-web-host';

const webHost = useWebHost();

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Every separator in view: its label inside it and inside the log; neither over a row. */
async function checkRoom(page: Page): Promise<void> {
  const log = await boxOf(frames(page).locator('[data-frame-scroller]'));
  const rowBoxes = await frames(page)
    .locator('.spacer .row')
    .evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect().toJSON() as Box));
  const separators = frames(page).getByTestId('attempt-separator');
  let seen = 0;
  for (let i = 0; i < (await separators.count()); i++) {
    const separator = await boxOf(separators.nth(i));
    if (separator.y + separator.height <= log.y || separator.y >= log.y + log.height) continue;
    seen += 1;
    const label = await boxOf(separators.nth(i).locator('.label'));
    // Inside its separator and inside the log (not cut at the first row's top or the last's bottom).
    expect(label.x).toBeGreaterThanOrEqual(separator.x);
    expect(label.x + label.width).toBeLessThanOrEqual(separator.x + separator.width + 0.01);
    expect(label.y).toBeGreaterThanOrEqual(separator.y - 0.01);
    expect(label.y + label.height).toBeLessThanOrEqual(separator.y + separator.height + 0.01);
    expect(label.y).toBeGreaterThanOrEqual(log.y - 0.01);
    expect(label.y + label.height).toBeLessThanOrEqual(log.y + log.height + 0.01);
    expect(label.x + label.width).toBeLessThanOrEqual(log.x + log.width + 0.01);
    for (const [n, row] of rowBoxes.entries()) {
      expect(overlapArea(label, row), `separator ${i}'s label over row ${n}`).toBe(0);
      expect(overlapArea(separator, row), `separator ${i} over row ${n}`).toBe(0);
    }
  }
  expect(seen).toBeGreaterThan(0);
}

async function run(browser: Browser, width: number, scale: number, compact: boolean): Promise<void> {
  const server: FlakyServer = await startFlakyServer({ drop: 2, then: 'echo' });
  const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: scale });
  const page = await context.newPage();
  try {
    await openInspector(page, webHost().url);
    await page.getByLabel('Proxy', { exact: true }).selectOption('none');
    await page.getByLabel('URL', { exact: true }).fill(`${server.url}/again`);
    await page.getByRole('button', { name: /^Connection options:/ }).click();
    await page.getByTestId('reconnect-on').check();
    await page.getByLabel('First wait before reconnecting, seconds').fill('1');
    await page.getByLabel('Longest wait before reconnecting, seconds').fill('60');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(stateOf(page)).toContainText('open');
    await page.getByLabel('Decode', { exact: true }).selectOption('socketio');

    const rows = frames(page).locator('.spacer .row');
    const long = (n: number) => `42["chat","message ${n}: ${'a long payload that fills the preview column to the log edge '.repeat(4)}"]`;
    await send(page, long(1));
    await send(page, long(2));
    await expect(rows).toHaveCount(4);
    const notice = page.getByTestId('reconnect-notice');
    server.cutAll();
    await expect(notice).toContainText('Retrying in');
    await notice.getByRole('button', { name: 'Reconnect now' }).click();
    await expect(stateOf(page)).toContainText('open');
    await send(page, long(3));
    await send(page, long(4));
    await expect(rows).toHaveCount(8);
    server.cutAll();
    await expect(notice).toContainText('Retrying in');
    await notice.getByRole('button', { name: 'Cancel auto-reconnect' }).click();

    const separators = frames(page).getByTestId('attempt-separator');
    await expect(separators).toHaveCount(3);
    await expect(separators.last()).toContainText('no reconnect');
    // The separators are not rows of the list: as many rows as frames.
    await expect(rows).toHaveCount(8);
    await expect(frames(page)).toHaveClass(compact ? /\bcompact\b/ : /^(?!.*\bcompact\b)/);

    // At the top (the first row and the separator above it), then at the end (the last row and
    // the one below it): what is in view.
    // The wheel, as a user scrolls (a scroll the log did not see a user's intent for is undone while it follows).
    const scroller = await boxOf(frames(page).locator('[data-frame-scroller]'));
    await page.mouse.move(scroller.x + scroller.width / 2, scroller.y + scroller.height / 2);
    for (const end of ['top', 'bottom'] as const) {
      await page.mouse.wheel(0, end === 'top' ? -5000 : 5000);
      await expect(separators.nth(end === 'top' ? 0 : 2)).toBeInViewport();
      await saveScreenshot(page, `attempt-separators-${width}-${scale}-${end}`);
      await checkRoom(page);
    }
  } finally {
    await context.close();
    await server.close();
  }
}

for (const [width, scale, compact] of [
  [1280, 1, false],
  [1024, 1, true],
  [1024, 1.25, true],
  [1280, 1.5, false],
] as const) {
  test(`no row under a separator's label at ${width} px, ${scale} device px per px`, async ({ browser }) => {
    await run(browser, width, scale, compact);
  });
}
