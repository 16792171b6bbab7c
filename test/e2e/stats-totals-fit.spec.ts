/**
 * The Statistics tab's totals fit the detail pane: at 1024 px (the pane at about 310 px) the
 * table had a column each for messages and bytes and ran 40 px past the pane, "Peak" cut and the
 * pane scrolling sideways. Bytes now go under messages, as the rates' bytes go under theirs.
 * Checked at 1024 px with classic scrollbars (headless Chromium without --hide-scrollbars, as
 * log-preview-fits.spec.ts) against a `ws` server on 127.0.0.1 (port 0) that sends 30 frames.
 * Screenshot: test-results/screenshots/stats-totals-1024.png.
 */
import { expect, test } from '@playwright/test';
import config from '../../playwright.config';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

test.use({ launchOptions: { ...config.use?.launchOptions, ignoreDefaultArgs: ['--hide-scrollbars'] } });

let host: WebHostProcess;
let wss: LocalWss | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    for (let i = 0; i < 30; i++) socket.send(`hello ${i}`);
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

test('at 1024 px the totals table fits the Statistics tab', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await openInspector(page, host.url);
  await connect(page, `${wss?.base ?? ''}/`);
  await expect(stateOf(page)).toContainText('open');
  await page.getByRole('tab', { name: 'Statistics' }).click();
  const stats = page.getByTestId('session-stats');
  const totals = stats.locator('table.totals');
  await expect(totals.locator('thead th')).toHaveText(['Direction', 'Total', 'Now', 'Peak']);
  await expect(totals.locator('tbody tr').first()).toContainText('230 B');
  const [table, pane] = await Promise.all([totals.boundingBox(), stats.boundingBox()]);
  expect(table, 'the table is laid out').not.toBeNull();
  expect(pane, 'the panel is laid out').not.toBeNull();
  expect((table?.x ?? 0) + (table?.width ?? 0), 'the table ends inside the panel').toBeLessThanOrEqual((pane?.x ?? 0) + (pane?.width ?? 0));
  const peak = totals.locator('thead th').last();
  const peakBox = await peak.boundingBox();
  expect((peakBox?.x ?? 0) + (peakBox?.width ?? 0), 'Peak is inside the window').toBeLessThanOrEqual(1024);
  await saveScreenshot(page, 'stats-totals-1024');
});
