/**
 * Sessions outlive a page reload and can be adopted, in Chromium through the web host: a tab
 * connects to an echo server, the page reloads (same browser tab, same sessionStorage, so the
 * same client id: within the grace, nothing is closed), the session is listed under "Not in a
 * tab" as this page's, Adopt opens a tab on it and it still echoes. Another browser (its own
 * client id) lists it as another page's.
 */
import { expect, test, type Page } from '@playwright/test';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { connect, openInspector, saveScreenshot, sendAndSeeEcho, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let echo: EchoServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  echo = await startEchoServer();
});

test.afterAll(async () => {
  await host?.stop();
  await echo?.close();
});

function notInATab(page: Page) {
  return page.getByRole('list', { name: 'Sessions not in a tab' });
}

test('a reloaded page finds its session under "Not in a tab" and adopts it; another browser sees it as another page’s', async ({ page, browser }) => {
  await openInspector(page, host.url);
  await connect(page, `${echo.url}/adopt-me`);
  await expect(stateOf(page)).toContainText('open');
  await expect(notInATab(page)).toHaveCount(0);

  await page.reload();
  await expect(page.getByLabel('URL', { exact: true })).toBeVisible();
  const row = notInATab(page).getByRole('listitem').filter({ hasText: 'adopt-me' });
  await expect(row).toContainText('open · this page’s, in no tab');
  await saveScreenshot(page, 'session-not-in-a-tab');

  // Another browser context: its own sessionStorage, so its own client id.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await openInspector(other, host.url);
  await expect(notInATab(other).getByRole('listitem').filter({ hasText: 'adopt-me' })).toContainText('another page’s');
  await otherContext.close();

  await row.getByRole('button', { name: /^Adopt / }).click();
  await expect(notInATab(page)).toHaveCount(0);
  await expect(stateOf(page)).toContainText('open');
  await sendAndSeeEcho(page, 'after the reload');
});
