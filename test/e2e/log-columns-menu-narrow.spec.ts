/**
 * The Columns menu where the log cannot show a column the user ticked. In a narrow decoded log
 * Type and Preview give their room to the Summary (FrameLog.vue, compact): their boxes stayed
 * ticked and ticking or unticking them changed nothing on screen, with no word why. Now each
 * says "hidden: log too narrow", a line under the boxes says how many pixels they lack
 * and how to give them (the divider beside the detail pane, the window, hiding a column), and
 * that is true: moving the divider by that much shows them. Summary, with no protocol, says it
 * needs one. Classic scrollbars (--hide-scrollbars left out), as on Windows
 * and Linux. A `ws` server on 127.0.0.1 (port 0) sends STOMP frames and a ping. Screenshots:
 * test-results/screenshots/columns-menu-<state>.png (the log and detail panes).
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

test.use({ launchOptions: { ...config.use?.launchOptions, ignoreDefaultArgs: ['--hide-scrollbars'] } });

const message = (i: number): string => `MESSAGE\ndestination:/topic/prices/${i}\nmessage-id:m-${i}\nsubscription:sub-0\n\n{"bid":${100 + i}}\u0000`;

let host: WebHostProcess;
let wss: LocalWss | undefined;
let base: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    socket.send('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\u0000');
    for (let i = 0; i < 40; i++) socket.send(message(i));
    socket.ping(Buffer.from('hb'));
  });
  base = wss.base;
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

const headers = (page: Page) => frames(page).locator('.head > [role="columnheader"]');
const menu = (page: Page) => page.getByRole('dialog', { name: 'Columns' });
const shot = (page: Page, state: string) => page.locator('.frames').screenshot({ path: path.join(screenshotDir, `columns-menu-${state}.png`) });

async function openDecodedLog(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  await openInspector(page, host.url);
  await connect(page, `${base}/stomp-${width}`);
  await expect(stateOf(page)).toContainText('open');
  await page.getByLabel('Decode', { exact: true }).selectOption('stomp');
  await expect(frames(page).locator('.head .c-summary')).toHaveCount(1);
}

test('narrow: Type and Preview say why they are hidden and how to show them, and that is true', async ({ page }) => {
  // 1080 px: too narrow for every column, and the divider can give what they lack (at 1024 px it cannot).
  await openDecodedLog(page, 1080);
  await expect(headers(page)).toHaveText(['#', 'Time', /Dir/, 'Size', 'Summary']);
  await page.getByRole('button', { name: 'Columns ▾' }).click();
  const type = menu(page).getByRole('checkbox', { name: 'Type' });
  const preview = menu(page).getByRole('checkbox', { name: 'Preview' });
  // Still the user's choice (ticked), with the reason beside each and in its description.
  await expect(type).toBeChecked();
  await expect(preview).toBeChecked();
  await expect(menu(page).getByTestId('column-held-type')).toHaveText('hidden: log too narrow');
  await expect(menu(page).getByTestId('column-held-preview')).toHaveText('hidden: log too narrow');
  await expect(type).toHaveAccessibleDescription(/hidden: log too narrow Type and Preview need \d+ px more/);
  const hint = menu(page).getByTestId('columns-hint');
  await expect(hint).toHaveText(/^Type and Preview need \d+ px more beside the Summary: widen the log \(drag the divider beside the detail pane, or widen the window\) or hide a column\.$/);
  await expect(menu(page).getByTestId('column-held-time')).toHaveCount(0);
  await expect(menu(page).getByTestId('column-held-summary')).toHaveCount(0);
  // The menu is inside the window, its hint wrapped (not one long line).
  const panel = await menu(page).boundingBox();
  expect((panel?.x ?? 0) + (panel?.width ?? 0)).toBeLessThanOrEqual(1080);
  await shot(page, 'narrow');

  // Unticking Preview gives its room to Type, which shows; ticking it again hides both, with the reasons.
  await preview.uncheck();
  await expect(headers(page)).toHaveText(['#', 'Time', /Dir/, 'Type', 'Size', 'Summary']);
  await expect(hint).toHaveCount(0);
  await expect(menu(page).getByTestId('column-held-type')).toHaveCount(0);
  await preview.check();
  await expect(headers(page)).toHaveText(['#', 'Time', /Dir/, 'Size', 'Summary']);
  await expect(menu(page).getByTestId('column-held-preview')).toHaveText('hidden: log too narrow');
  await expect(hint).toHaveText(/^Type and Preview need \d+ px more/);

  // Hiding a column (Time) gives the room: Type and Preview show, the menu has no hint.
  await menu(page).getByRole('checkbox', { name: 'Time' }).uncheck();
  await expect(headers(page)).toHaveText(['#', /Dir/, 'Type', 'Size', 'Summary', 'Preview']);
  await expect(hint).toHaveCount(0);
  await expect(menu(page).getByTestId('column-held-type')).toHaveCount(0);
  await menu(page).getByRole('checkbox', { name: 'Time' }).check();
  await expect(headers(page)).toHaveText(['#', 'Time', /Dir/, 'Size', 'Summary']);

  // The divider, moved by the pixels the hint names (16 px a key press), shows them.
  const lacking = Number(/need (\d+) px/.exec((await hint.textContent()) ?? '')?.[1]);
  expect(lacking).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
  const divider = page.getByRole('separator', { name: 'Resize the frame detail' });
  await divider.focus();
  for (let i = 0; i < Math.ceil(lacking / 16); i++) await divider.press('ArrowRight');
  await expect(headers(page)).toHaveText(['#', 'Time', /Dir/, 'Type', 'Size', 'Summary', 'Preview']);
  await page.getByRole('button', { name: 'Columns ▾' }).click();
  await expect(menu(page).getByTestId('columns-hint')).toHaveCount(0);
  await expect(menu(page).getByTestId('column-held-type')).toHaveCount(0);
  await shot(page, 'widened');
});

test('at 900 px, the window\'s narrowest, the detail pane is at its narrowest too: the hint does not offer the divider', async ({ page }) => {
  await openDecodedLog(page, 900);
  await expect(headers(page)).toHaveText(['#', 'Time', /Dir/, 'Size', 'Summary']);
  await page.getByRole('button', { name: 'Columns ▾' }).click();
  await expect(menu(page).getByTestId('columns-hint')).toHaveText(/^Type and Preview need \d+ px more beside the Summary: widen the window \(the detail pane is at its narrowest\) or hide a column\.$/);
  await shot(page, 'narrowest');
  // True: the divider gives nothing (its first step right leaves the columns as they were).
  await page.keyboard.press('Escape');
  await page.getByRole('separator', { name: 'Resize the frame detail' }).press('ArrowRight');
  await expect(headers(page)).toHaveText(['#', 'Time', /Dir/, 'Size', 'Summary']);
});

test('Summary with no protocol says when it shows', async ({ page }) => {
  await openDecodedLog(page, 1280);
  await page.getByLabel('Decode', { exact: true }).selectOption('none');
  await expect(frames(page).locator('.head .c-summary')).toHaveCount(0);
  await page.getByRole('button', { name: 'Columns ▾' }).click();
  await expect(menu(page).getByRole('checkbox', { name: 'Summary (decoded)' })).toBeChecked();
  await expect(menu(page).getByTestId('column-held-summary')).toHaveText('needs a protocol (Decode)');
  await expect(menu(page).getByTestId('columns-hint')).toHaveCount(0);
  await expect(menu(page).getByTestId('column-held-preview')).toHaveCount(0);
  await shot(page, 'no-protocol');
});
