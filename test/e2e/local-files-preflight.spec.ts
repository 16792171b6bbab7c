/**
 * Bad local files in Chromium through the web host: Extra CA files (missing, a directory, not
 * PEM) and a client certificate and key (not PEM, missing) fail before the proxy is contacted,
 * with one error naming every file and where each is set. Saved as
 * test-results/screenshots/local-files-preflight.png.
 */
import { mkdir } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { writePems, type PemDir } from '../support/certs';
import { startFakeProxy, type FakeProxy } from '../support/fake-proxy';
import { connect, errorPanel, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let proxy: FakeProxy;
let pems: PemDir;

test.beforeAll(async () => {
  pems = await writePems({ 'notes.txt': 'not a certificate\n' });
  await mkdir(pems.path('a-folder'));
  host = await startWebHostProcess();
  proxy = await startFakeProxy(({ socket }) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
});

test.afterAll(async () => {
  await host?.stop();
  await proxy?.close();
  await pems?.cleanup();
});

test('bad CA, certificate and key files: one error names them all, and the proxy is never contacted', async ({ page }) => {
  await openInspector(page, host.url);
  const options = page.getByRole('button', { name: /Connection options/ });
  await options.click();
  await page.getByLabel('Extra CA files', { exact: true }).fill([pems.path('nonexist.pem'), pems.path('a-folder'), pems.path('notes.txt')].join('\n'));
  await page.getByLabel('Client certificate', { exact: true }).fill(pems.path('notes.txt'));
  await page.getByLabel('Client key', { exact: true }).fill(pems.path('missing.key'));
  await options.click();
  await connect(page, 'wss://localhost:1/exp', { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` });
  await expect(stateOf(page)).toContainText(/failed/i);
  const panel = errorPanel(page);
  await expect(panel).toContainText('5 local files could not be used');
  for (const file of ['nonexist.pem" does not exist', 'a-folder" is a directory', 'notes.txt": it is not PEM', 'missing.key" does not exist']) {
    await expect(panel).toContainText(file);
  }
  await expect(panel).toContainText('TLS → Extra CA files in the connection options');
  await expect(panel).toContainText('TLS → Client certificate and Client key in the connection options');
  expect(proxy.accepted).toBe(0);
  await expect(page.locator('li[data-leg="tcp"]')).toHaveCount(0);
  await saveScreenshot(page, 'local-files-preflight');
});
