/**
 * Auto-reconnect in Chromium through the web host: a tab with the Reconnect row on connects
 * to a server that drops its first two connections, so the engine reconnects twice and opens
 * on the third attempt; the log shows the separator for the failed attempts above the first
 * frame. The server then cuts the open connection: the notice says "Retrying in N s" with
 * Cancel and Now, the form is read-only, Now reconnects at once, and the log goes on below a
 * second separator, in the same tab and the same session.
 */
import { expect, test } from '@playwright/test';
import { startFlakyServer, type FlakyServer } from '../support/flaky-ws-server';
import { frames, openInspector, saveScreenshot, sendAndSeeEcho, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let server: FlakyServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startFlakyServer({ drop: 2, then: 'echo' });
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

test('the tab reconnects through the engine: one log, a separator per attempt, Retrying in N s with Now', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByLabel('Proxy', { exact: true }).selectOption('none');
  await page.getByLabel('URL', { exact: true }).fill(`${server.url}/again`);
  await page.getByRole('button', { name: /^Connection options:/ }).click();
  await page.getByTestId('reconnect-on').check();
  await page.getByLabel('First wait before reconnecting, seconds').fill('1');
  await page.getByLabel('Longest wait before reconnecting, seconds').fill('60');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  await expect(stateOf(page)).toContainText('open');
  expect(server.connections).toBe(3);
  const separators = frames(page).getByTestId('attempt-separator');
  await expect(separators).toHaveCount(1);
  await expect(separators.first()).toContainText('2 attempts · attempt 2 UPGRADE_CONNECTION_CLOSED · next in');
  await sendAndSeeEcho(page, 'before the cut');

  // A long wait after the cut (1 s doubled twice, ±20 %) leaves time to see the notice.
  server.cutAll();
  const notice = page.getByTestId('reconnect-notice');
  await expect(notice).toContainText('Retrying in');
  await expect(notice).toContainText(/attempt 3 failed: CONNECTION_(RESET|LOST)/);
  await expect(page.getByRole('region', { name: 'Connection setup' })).toHaveAttribute('inert', '');
  await saveScreenshot(page, 'reconnect-waiting');
  await notice.getByRole('button', { name: 'Reconnect now' }).click();

  await expect(stateOf(page)).toContainText('open');
  await expect(notice).toHaveCount(0);
  await sendAndSeeEcho(page, 'after the reconnect');
  await expect(separators).toHaveCount(2);
  await expect(separators.nth(1)).toContainText(/attempt 3 CONNECTION_(RESET|LOST)/);
  // One log: the frames of both open attempts, numbered on.
  await expect(frames(page).getByRole('row').filter({ hasText: 'before the cut' })).toHaveCount(2);
  await expect(page.getByTestId('stats-attempts')).toContainText('Across 4 attempts (2 opened)');
  await saveScreenshot(page, 'reconnect-separators');
});
