/**
 * Who closed an intercepted WebSocket, on the Intercept page and its captured tab, in the CLI's
 * words (shared/intercept-closed-by.ts, from the relay's 'closing' report): a Node `ws` client
 * that closes its own connection is "closed by the application"; one cut when the proxy is
 * switched off is "closed by Tunnelscope". Before, both rows said only "closed". A local wss://
 * echo server (127.0.0.1, as localhost), the client trusting the CA the page offers. Screenshots: test-results/screenshots/intercept-closed-by-*.png.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openInspector, saveScreenshot } from './support/inspector';
import { switchInterceptOn, useInterceptWebHost } from './support/intercept-web-host';

const intercept = useInterceptWebHost('Intercept closed-by e2e upstream', 'tunnelscope-e2e-closed-by-');

/** A Node ws client through HTTPS_PROXY: sends hello, and on its echo closes itself (argv 'close') or stays open until cut. */
const CLIENT_SCRIPT = `
socket.on('open', () => socket.send('hello'));
socket.on('message', () => { console.log('echoed'); if (process.argv[2] === 'close') socket.close(1000, 'done'); });
socket.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
socket.on('error', (error) => { console.log('error ' + error.message); process.exit(1); });
`;

function startClient(target: string, proxyUrl: string, caFile: string, mode: 'close' | 'stay') {
  return intercept.startClient(CLIENT_SCRIPT, [target, mode], proxyUrl, caFile);
}

test('the Intercept page and the captured tab say who closed: the application, Tunnelscope', async ({ page }) => {
  const { host, echo, downloads } = intercept.get();
  await openInspector(page, host.url);
  await page.getByTestId('intercept-entry').click();
  const { toggle, proxyUrl } = await switchInterceptOn(page);
  const downloading = page.waitForEvent('download');
  await page.getByTestId('intercept-ca-download').click();
  const caFile = path.join(downloads, 'tunnelscope-ca.pem');
  await (await downloading).saveAs(caFile);

  // The application closes its own WebSocket.
  const byApp = `${echo.url}/by-application`;
  const app = startClient(byApp, proxyUrl, caFile, 'close');
  expect(await app.exited).toBe(0);
  expect(app.output()).toContain('closed 1000');
  const appRow = page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: byApp });
  await expect(appRow.locator('td.outcome')).toHaveText('■ closed by the application');

  // One left open is cut when the proxy stops: Tunnelscope closed it.
  const cut = `${echo.url}/cut-at-stop`;
  const staying = startClient(cut, proxyUrl, caFile, 'stay');
  await expect.poll(staying.output).toContain('echoed');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  expect(await staying.exited).toBe(0);
  const cutRow = page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: cut });
  await expect(cutRow.locator('td.outcome')).toHaveText('■ closed by Tunnelscope');
  await expect(appRow.locator('td.outcome')).toHaveText('■ closed by the application');
  await saveScreenshot(page, 'intercept-closed-by-page');

  // The captured tab says it under its URL.
  await appRow.getByRole('button', { name: /^Open / }).click();
  await expect(page.getByTestId('captured-header')).toContainText(byApp);
  await expect(page.getByTestId('captured-closed-by')).toHaveText('· closed by the application');
  await saveScreenshot(page, 'intercept-closed-by-tab');
});
