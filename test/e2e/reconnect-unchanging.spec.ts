/**
 * Auto-reconnect in Chromium through the web host, against a server on 127.0.0.1 that answers
 * every WebSocket upgrade with 401 (the ws package's verifyClient): the engine does not retry it,
 * and the tab's notice says "Auto-reconnect stopped" with the one line naming the status and what
 * to change. One upgrade was asked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { openInspector, saveScreenshot } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let server: http.Server;
let wss: WebSocketServer;
let upgrades = 0;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  server = http.createServer();
  wss = new WebSocketServer({
    server,
    verifyClient: (_info, done) => {
      upgrades += 1;
      done(false, 401, 'Unauthorized');
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await host?.stop();
  wss?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

test('a 401 to the upgrade: not retried, the notice says why and what to change', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByLabel('Proxy', { exact: true }).selectOption('none');
  await page.getByLabel('URL', { exact: true }).fill(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/feed`);
  await page.getByRole('button', { name: /^Connection options:/ }).click();
  await page.getByTestId('reconnect-on').check();
  await page.getByLabel('First wait before reconnecting, seconds').fill('1');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  const notice = page.getByTestId('reconnect-notice');
  await expect(notice).toContainText('Auto-reconnect stopped');
  await expect(notice).toContainText(
    'not retried: the server refused the WebSocket upgrade (401 Unauthorized) and would answer the same request so again: change the credentials, the Authorization header or the token',
  );
  // The options folded, so the screenshot shows the notice above the log.
  await page.getByRole('button', { name: /^Connection options:/ }).click();
  await expect(notice).toBeInViewport();
  // The reason wraps: none of it is cut off with an ellipsis at this width.
  const reason = page.getByTestId('reconnect-stopped-reason');
  const clipped = await reason.evaluate((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
  expect(clipped).toBe(false);
  await saveScreenshot(page, 'reconnect-unchanging-401');
  await page.setViewportSize({ width: 1024, height: 800 });
  expect(await reason.evaluate((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight)).toBe(false);
  await saveScreenshot(page, 'reconnect-unchanging-401-1024');
  expect(upgrades).toBe(1);
});
