/**
 * The reconnect notice says what the server refused and is not sent again, in Chromium through the
 * web host: a tab with the Reconnect row on joins the Socket.IO namespaces "/" and "/locked" on an
 * echo server, and a CONNECT_ERROR for /locked comes back (the echo of one typed here: the
 * server's messages are what the ledger reads). The server then cuts the connection; after Now,
 * attempt 2 joins "/" again, not "/locked", and the notice says why.
 */
import { expect, test, type Page } from '@playwright/test';
import { startFlakyServer, type FlakyServer } from '../support/flaky-ws-server';
import { frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let server: FlakyServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = await startFlakyServer({ drop: 0, then: 'echo' });
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

async function send(page: Page, text: string, rowsWith: string, count: number): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(frames(page).getByRole('row').filter({ hasText: rowsWith })).toHaveCount(count);
}

test('a namespace refused with CONNECT_ERROR is not joined again, and the notice says the server refused it', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByLabel('Proxy', { exact: true }).selectOption('none');
  await page.getByLabel('URL', { exact: true }).fill(`${server.url}/socket.io/?EIO=4&transport=websocket`);
  await page.getByRole('button', { name: /^Connection options:/ }).click();
  await page.getByTestId('reconnect-on').check();
  await expect(page.getByTestId('reconnect-resend')).toBeChecked();
  await page.getByLabel('First wait before reconnecting, seconds').fill('30');
  await page.getByLabel('Longest wait before reconnecting, seconds').fill('60');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(stateOf(page)).toContainText('open');
  await send(page, '40', 'connect', 2);
  await send(page, '40/locked,{"token":"t0p"}', '/locked', 2);
  await send(page, '44/locked,{"message":"Not authorized"}', 'Not authorized', 2);

  server.cutAll();
  const notice = page.getByTestId('reconnect-notice');
  await expect(notice).toContainText('Retrying in');
  await notice.getByRole('button', { name: 'Reconnect now' }).click();
  await expect(stateOf(page)).toContainText('open');

  const resent = page.getByTestId('resent-notice');
  await expect(resent).toContainText('Reconnected (attempt 2) — sent again: Socket.IO CONNECT /');
  await expect(page.getByTestId('resent-not-sent')).toContainText("not sent again: Socket.IO CONNECT /locked: the server refused it (CONNECT_ERROR 'Not authorized')");
  await expect(resent).not.toContainText('t0p');
  await saveScreenshot(page, 'reconnect-resent-refused');
});
