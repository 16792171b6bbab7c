/**
 * Intercept in the app (issue 13), in Chromium through the web host: the proxy is switched on
 * from the Intercept page, the CA downloaded from it, and a Node `ws` client (a child process
 * with HTTPS_PROXY at the proxy and NODE_EXTRA_CA_CERTS at the downloaded file) talks to a
 * local wss:// echo server (127.0.0.1, as localhost) through it. The captured connection is listed, opens as
 * a tab marked captured with its frames both ways and the client's side of the handshake. A
 * client that does not trust the CA is named on its row; Pass through puts its host on the
 * passthrough list and its next connection goes through untouched. The switch stops the proxy
 * and the client is cut; the passed-through row names its way out. Screenshots: test-results/screenshots/intercept-*.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { frames, openInspector, saveScreenshot } from './support/inspector';
import { switchInterceptOn, useInterceptWebHost } from './support/intercept-web-host';

const intercept = useInterceptWebHost('Intercept e2e upstream', 'tunnelscope-e2e-ca-');

/** A Node ws client as a user runs one: the proxy from HTTPS_PROXY, our CA from NODE_EXTRA_CA_CERTS. It says each step on stdout and stays open until cut. */
const CLIENT_SCRIPT = `
socket.on('open', () => { console.log('open'); socket.send('hello from node'); });
socket.on('message', (data) => console.log('echo: ' + data.toString()));
socket.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
socket.on('error', (error) => { console.log('error ' + error.message); process.exit(1); });
`;

function startClient(target: string, proxyUrl: string, caFile: string | null) {
  return intercept.startClient(CLIENT_SCRIPT, [target], proxyUrl, caFile);
}

test('switch intercept on, trust the downloaded CA in a Node ws client, see its WebSocket captured with its frames, switch it off', async ({ page }) => {
  const { host, echo, pems, downloads } = intercept.get();
  await openInspector(page, host.url);
  await page.getByTestId('intercept-entry').click();
  const view = page.getByTestId('intercept-view');
  await expect(view.getByRole('heading', { name: 'Intercept' })).toBeVisible();
  await saveScreenshot(page, 'intercept-off');

  const { proxyUrl } = await switchInterceptOn(page);
  expect(proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(page.getByTestId('intercept-entry')).toContainText('on · 0 open');

  // The CA, as the page offers it.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('intercept-ca-download').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('tunnelscope-ca.pem');
  const caFile = path.join(downloads, download.suggestedFilename());
  await download.saveAs(caFile);
  expect(readFileSync(caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);

  const target = `${echo.url}/chat?room=e2e`;
  const run = startClient(target, proxyUrl, caFile);
  await expect.poll(run.output, { message: 'the client gets its echo through the proxy' }).toContain('echo: hello from node');

  // Listed, with its client and where it went.
  const row = page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: target });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('127.0.0.1:');
  await expect(row).toContainText('direct');
  await expect(page.getByTestId('intercept-counts')).toContainText('1 captured (1 open)');
  await saveScreenshot(page, 'intercept-on');

  // Its tab: marked captured, the frames both ways, the client's side of the handshake.
  await row.getByRole('button', { name: /^Open / }).click();
  await expect(page.getByTestId('intercept-view')).toHaveCount(0);
  const header = page.getByTestId('captured-header');
  await expect(header).toContainText('captured');
  await expect(header).toContainText(target);
  await expect(page.locator('.tab .captured')).toHaveCount(1);
  await expect(frames(page).getByRole('row').filter({ hasText: 'hello from node' })).toHaveCount(2);
  await page.getByTestId('captured-client-handshake-toggle').click();
  const handshake = page.getByTestId('captured-client-handshake');
  await expect(handshake).toContainText('GET /chat?room=e2e HTTP/1.1');
  await expect(handshake).toContainText('HTTP/1.1 101 Switching Protocols');
  await saveScreenshot(page, 'intercept-captured-tab');

  // A client that does not trust our CA: named on its row, and passed through from there.
  await page.getByTestId('intercept-entry').click();
  const refusing = startClient(`${echo.url}/refuses`, proxyUrl, null);
  expect(await refusing.exited).toBe(1);
  const refusedRow = page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: 'certificate refused by the client' });
  await expect(refusedRow).toHaveCount(1);
  await expect(refusedRow).toContainText('localhost');
  await refusedRow.getByRole('button', { name: 'Pass through' }).click();
  await expect(page.getByText('localhost is on the global passthrough list')).toBeVisible();
  await expect(page.getByTestId('intercept-passthrough')).toHaveText('global: localhost');
  await saveScreenshot(page, 'intercept-passthrough');
  // Its next connection is tunnelled untouched: the client sees the server's own certificate (it trusts the server's CA).
  const untouched = startClient(`${echo.url}/untouched`, proxyUrl, pems.path('os-store.pem'));
  await expect.poll(untouched.output, { message: 'the passed-through client gets its echo' }).toContain('echo: hello from node');
  if (untouched.process.pid !== undefined) process.kill(untouched.process.pid);
  await untouched.exited;
  // Listed once the tunnel has ended, with the way out it took (Upstream None here: direct), as the captured row.
  const passedRow = page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: 'passed through' });
  await expect(passedRow).toHaveCount(1);
  await expect(passedRow.locator('td.upstream')).toHaveText('direct');
  await expect(passedRow.locator('td.upstream')).toHaveAttribute('title', /^no proxy: /);
  await saveScreenshot(page, 'intercept-passthrough-row');
  await expect(page.getByTestId('intercept-counts')).toContainText('1 captured (1 open)');

  // Off: the client is cut, the proxy no longer listens, the session stays to read.
  await page.getByRole('switch').click();
  await expect(page.getByRole('switch')).toHaveAttribute('aria-checked', 'false');
  expect(await run.exited).toBe(0);
  expect(run.output()).toMatch(/closed \d+/);
  await expect(page.getByTestId('intercept-entry')).toContainText('off');
  await expect(page.getByTestId('intercept-counts')).toContainText('1 captured (0 open)');
  await saveScreenshot(page, 'intercept-stopped');
});
