/**
 * Trust as the OS has it, in Chromium through the web host: a CA in the OS trust store the
 * host reads (TUNNELSCOPE_OS_CA_BUNDLE) opens a wss:// server without any CA file; a
 * mitmproxy-style CA shows "TLS intercepted by mitmproxy (…)" on the open session, also with
 * the handshake timeline folded. Saved as test-results/screenshots/tls-intercepted*.png.
 */
import { expect, test } from '@playwright/test';
import { createCa, createLeaf, writePems, type PemDir } from '../support/certs';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { connect, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let echo: EchoServer;
let pems: PemDir;

test.beforeAll(async () => {
  const mitm = createCa('mitmproxy');
  pems = await writePems({ 'os-store.pem': mitm.cert });
  host = await startWebHostProcess({ env: { TUNNELSCOPE_OS_CA_BUNDLE: pems.path('os-store.pem') } });
  echo = await startEchoServer({ tls: createLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], issuer: mitm }) });
});

test.afterAll(async () => {
  await host?.stop();
  await echo?.close();
  await pems?.cleanup();
});

test('a chain re-signed by mitmproxy opens through the OS store and is named on the open session', async ({ page }) => {
  await openInspector(page, host.url);
  await connect(page, echo.url);
  await expect(stateOf(page)).toContainText(/open/i);
  const badge = page.getByTestId('interception-badge');
  await expect(badge).toContainText('TLS intercepted by mitmproxy (CN=mitmproxy, O=Tunnelscope Tests)');
  await expect(badge).toContainText('trusted through the OS store');
  await saveScreenshot(page, 'tls-intercepted');

  // Unfolded, the TLS leg says the same and which store the chain was trusted through.
  await page.getByRole('button', { name: /Handshake/ }).first().click();
  await page.locator('li[data-leg="tls"] .row-line').click();
  await expect(page.locator('li[data-leg="tls"]')).toContainText('certificate verified, trusted through the OS store');
  await expect(page.getByTestId('tls-interception')).toHaveText('TLS intercepted by mitmproxy (CN=mitmproxy, O=Tunnelscope Tests)');
  await saveScreenshot(page, 'tls-intercepted-leg');
});
