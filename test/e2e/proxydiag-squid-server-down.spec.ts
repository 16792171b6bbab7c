/**
 * A real Squid whose server is down answers CONNECT with 503 and X-Squid-Error ERR_CONNECT_FAIL
 * 111: the app (web host, Chromium) says the proxy could not reach the server, names it, points
 * at the server (not at the proxy's CONNECT rules), and shows Squid's page as text with its
 * source on request.
 */
import { expect, test } from '@playwright/test';
import { freePort } from '../support/proxy-process';
import { squidMissing, startSquid, type RunningSquid } from '../support/squid';
import { connect, errorPanel, openInspector, saveScreenshot } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess | undefined;
let squid: RunningSquid | undefined;

test.skip(squidMissing !== undefined, `Squid cannot run here: ${squidMissing ?? ''}`);

test.beforeAll(async () => {
  host = await startWebHostProcess();
  squid = await startSquid({ connectPorts: 'any' });
});

test.afterAll(async () => {
  await squid?.stop();
  await host?.stop();
});

test('server down behind Squid: PROXY_UPSTREAM_UNREACHABLE, the server named, the page as text', async ({ page }) => {
  if (!host || !squid) throw new Error('not started');
  const downPort = await freePort();
  await openInspector(page, host.url);
  await connect(page, `ws://127.0.0.1:${downPort}/down`, { mode: 'manual', url: squid.url });
  const alert = errorPanel(page);
  await expect(alert.getByRole('heading', { level: 2 })).toHaveText('The proxy could not reach the server (CONNECT → 503 Service Unavailable)');
  await expect(alert).toContainText(`127.0.0.1:${downPort} refused the proxy's connection (nothing listens on that port)`);
  await expect(alert).toContainText(`Check that the server at 127.0.0.1:${downPort} is running`);
  await expect(alert).not.toContainText('SSL_ports');
  await expect(alert).not.toContainText('refused the tunnel');
  await expect(alert).toContainText('PROXY_UPSTREAM_UNREACHABLE');
  const body = alert.locator('pre').first();
  await expect(body).toContainText('Connection to 127.0.0.1 failed.');
  await expect(body).not.toContainText('<!DOCTYPE');
  await saveScreenshot(page, 'proxydiag-squid-server-down');
  // The panel scrolls inside the page: the page's text and the hint below the headers.
  await body.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'proxydiag-squid-server-down-body');
  await alert.getByRole('button', { name: 'Source', exact: true }).click();
  await expect(body).toContainText('<!DOCTYPE');
  await saveScreenshot(page, 'proxydiag-squid-server-down-source');
});
