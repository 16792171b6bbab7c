/**
 * The inspector in Chromium through the web host, as a user runs it (`npm run web`): the
 * access token (stripped from the address, robust to a planted cookie), `--tls`, a direct
 * connection and one through a real Squid with frames both ways, and
 * the error panel for a 407, a gateway's 500 with `Via` and an HTML body, and an expired
 * certificate. Each state is saved as test-results/screenshots/<state>.png.
 */
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { testCa, expiredServer, writePems, type PemDir } from '../support/certs';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import type { FakeProxy } from '../support/fake-proxy';
import { squidMissing, startSquid, type RunningSquid } from '../support/squid';
import { GATEWAY_VIA, startAuthRequiredProxy, startBasicAuthProxy, startGatewayErrorProxy } from './support/bad-proxies';
import { connect, errorPanel, frames, openInspector, saveScreenshot, sendAndSeeEcho, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';


let host: WebHostProcess;
let echo: EchoServer;
let pems: PemDir;

test.beforeAll(async () => {
  // The expired certificate is signed by the test CA; that CA in the OS trust store the host
  // reads (as IT installs a corporate root) makes the expiry the one thing wrong with it.
  // NODE_EXTRA_CA_CERTS would not do: the trust list is always given explicitly.
  pems = await writePems({ 'test-ca.pem': testCa().cert });
  host = await startWebHostProcess({ env: { TUNNELSCOPE_OS_CA_BUNDLE: pems.path('test-ca.pem') }, viaScript: true });
  echo = await startEchoServer();
});

test.afterAll(async () => {
  await host?.stop();
  await echo?.close();
  await pems?.cleanup();
});

/** Opens /api from Node (as a browser would, same origin) and resolves with the upgrade status or 101. */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

test.describe('the access token', () => {
  test('a page request without the token is refused', async ({ page }) => {
    const response = await page.goto(`${host.origin}/`);
    expect(response?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('no access token');
    await saveScreenshot(page, 'token-missing');
    // The assets are behind the token too.
    const asset = await page.request.get(`${host.origin}/index.html`);
    expect(asset.status()).toBe(401);
  });

  test('a wrong token is refused', async ({ page }) => {
    const response = await page.goto(`${host.origin}/?token=not-the-token`);
    expect(response?.status()).toBe(403);
    await expect(page.locator('body')).toContainText('wrong access token');
  });

  test('the WebSocket at /api is refused without the token, and accepted with it', async () => {
    expect(await upgradeStatus({ Origin: host.origin })).toBe(401);
    expect(await upgradeStatus({ Origin: host.origin, Cookie: `tunnelscope_token_${host.port}=wrong` })).toBe(403);
    expect(await upgradeStatus({ Origin: host.origin, Cookie: `tunnelscope_token_${host.port}=${host.token}` })).toBe(101);
    // The right token from another origin is still refused.
    expect(await upgradeStatus({ Origin: 'http://evil.example', Cookie: `tunnelscope_token_${host.port}=${host.token}` })).toBe(403);
  });

  test('with the token the page loads, the token leaves the address bar, and the cookie is HttpOnly', async ({ page, context }) => {
    await openInspector(page, host.url);
    expect(new URL(page.url()).search).toBe('');
    const cookie = (await context.cookies(host.origin)).find((c) => c.name === `tunnelscope_token_${host.port}`);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', value: host.token });
  });

  test('the token is replaced in this tab\'s history entry (replaceState), not left behind it', async ({ page }) => {
    await openInspector(page, host.url);
    // The tab's history: the blank page it started on, then ours without the token (the
    // entry was replaced, not added to: no entry with the token is left to go back to).
    expect(await page.evaluate('({ href: location.href, entries: history.length })')).toEqual({ href: `${host.origin}/`, entries: 2 });
    await page.goBack();
    expect(page.url()).toBe('about:blank');
    await page.goForward();
    expect(page.url()).toBe(`${host.origin}/`);
    await expect(page.getByLabel('URL', { exact: true })).toBeVisible();
    await connect(page, echo.url, { mode: 'none' });
    await expect(stateOf(page)).toContainText(/open/i);
  });

  test('cookie tossing: a cookie of our name planted by another 127.0.0.1 port does not lock the UI out', async ({ page, context }) => {
    // Cookies ignore ports: a page on 127.0.0.1:<any> can set this one. A longer Path puts
    // the planted cookie first in the header that /api receives.
    await context.addCookies([{ name: `tunnelscope_token_${host.port}`, value: 'planted-by-another-port', domain: '127.0.0.1', path: '/api' }]);
    await openInspector(page, host.url);
    await connect(page, echo.url, { mode: 'none' });
    await expect(stateOf(page)).toContainText(/open/i);
    await expect(page.getByTestId('web-host-connection')).toBeHidden();
  });
});

test.describe('connections', () => {
  test('direct: connects, sends and receives, and shows the frames', async ({ page }) => {
    await openInspector(page, host.url);
    await saveScreenshot(page, 'new-tab');
    await connect(page, echo.url, { mode: 'none' });
    await expect(stateOf(page)).toContainText(/open/i);
    await sendAndSeeEcho(page, 'hello through nothing');
    await expect(frames(page)).toBeVisible();
    // With no frame selected the detail pane shows the statistics; three pings, three round trips.
    const statsPanel = page.getByRole('region', { name: 'Session statistics' });
    await expect(statsPanel.getByText('No round trips yet')).toBeVisible();
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Ping', exact: true }).click();
      await expect(frames(page).getByRole('row').filter({ hasText: 'pong' })).toHaveCount(i + 1);
    }
    await expect(page.getByTestId('rtt-figures')).toContainText('3 recent round trips');
    await expect(statsPanel.getByRole('row', { name: /Sent/ })).toContainText('4'); // the message and three pings
    await saveScreenshot(page, 'direct-open');
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'direct-open-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect(stateOf(page)).toContainText(/closed/i);
    await saveScreenshot(page, 'direct-closed');
  });

  test('through a real Squid: CONNECT tunnel, frames both ways', async ({ page }) => {
    test.skip(squidMissing !== undefined, `Squid cannot run here: ${squidMissing ?? ''}`);
    let squid: RunningSquid | undefined;
    try {
      squid = await startSquid({ connectPorts: 'any' });
      await openInspector(page, host.url);
      await connect(page, echo.url, { mode: 'manual', url: squid.url });
      await expect(stateOf(page), squid.logs()).toContainText(/open/i);
      await sendAndSeeEcho(page, 'hello through squid');
      // The decision line names the proxy it went through.
      await expect(page.getByText(`127.0.0.1:${squid.port}`).first()).toBeVisible();
      await saveScreenshot(page, 'squid-open');
      await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
      await expect(stateOf(page)).toContainText(/closed/i);
    } finally {
      await squid?.stop();
    }
  });
});

test('a PAC-chosen proxy that asks for credentials gets them after its 407, and the session opens', async ({ page }) => {
  const proxy = await startBasicAuthProxy('alice', 'pac-secret-9', echo.port);
  try {
    await openInspector(page, host.url);
    await page.getByLabel('Proxy', { exact: true }).selectOption('pac');
    await page.getByLabel('Inline script').check();
    await page.getByLabel('PAC script', { exact: true }).fill(`function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${proxy.port}"; }`);
    await page.getByRole('button', { name: '+ Proxy credentials' }).click();
    await page.getByLabel('Username', { exact: true }).fill('alice');
    await page.getByLabel('Password', { exact: true }).fill('pac-secret-9');
    await page.getByLabel('URL', { exact: true }).fill(echo.url);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(stateOf(page)).toContainText(/open/i);
    await sendAndSeeEcho(page, 'hello after a 407');
    const handshake = page.getByRole('region', { name: 'Handshake' });
    await expect(handshake.locator('li[data-status="retried"]')).toContainText('asked to sign in');
    expect(proxy.requests.map((r) => r.headers.some(([name]) => name.toLowerCase() === 'proxy-authorization'))).toEqual([false, true]);
    await expect(page.getByText('pac-secret-9')).toHaveCount(0);
    await saveScreenshot(page, 'proxy-407-then-signed-in');
  } finally {
    await proxy.close();
  }
});

test.describe('the error panel', () => {
  let proxy: FakeProxy | undefined;
  test.afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  test('a proxy that answers 407: the status, Proxy-Authenticate, and what to do', async ({ page }) => {
    proxy = await startAuthRequiredProxy();
    await openInspector(page, host.url);
    await connect(page, echo.url, { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` });
    const alert = errorPanel(page);
    await expect(alert).toBeVisible();
    await expect(stateOf(page)).toContainText(/failed/i);
    await expect(alert).toContainText('407');
    await expect(alert).toContainText('Proxy-Authenticate');
    await expect(alert).toContainText('Basic realm="corp"');
    await expect(alert).toContainText('PROXY_AUTH_REQUIRED');
    await saveScreenshot(page, 'error-proxy-407');
    await alert.getByText('What to do:').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'error-proxy-407-hint');
  });

  test('a gateway that answers HTTP/1.0 500 with Via and an HTML body: the gateway named, the body as text', async ({ page }) => {
    proxy = await startGatewayErrorProxy();
    await openInspector(page, host.url);
    await connect(page, echo.url, { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` });
    const alert = errorPanel(page);
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('HTTP/1.0 500 handshakefailed');
    await expect(alert).toContainText(GATEWAY_VIA);
    // The body is shown as its text (the CLI's htmlToText), never rendered and never run.
    await expect(alert).toContainText('shown as text');
    await expect(alert).toContainText('The SSL handshake with the server failed.');
    await expect(alert).not.toContainText('<h1 id="gateway-h1">');
    await expect(page.locator('#gateway-h1')).toHaveCount(0);
    expect(await page.evaluate(() => Reflect.has(globalThis, '__gatewayScriptRan'))).toBe(false);
    await saveScreenshot(page, 'error-gateway-500');
    // Source shows the markup as text: still not rendered, its script still not run.
    await alert.getByRole('button', { name: 'Source' }).click();
    await expect(alert).toContainText('<h1 id="gateway-h1">Handshake failed</h1>');
    await expect(page.locator('#gateway-h1')).toHaveCount(0);
    expect(await page.evaluate(() => Reflect.has(globalThis, '__gatewayScriptRan'))).toBe(false);
    await alert.getByText('Handshake failed</h1>', { exact: false }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'error-gateway-500-body');
  });

  test('an expired server certificate: TLS_CERT_EXPIRED in words, with the date', async ({ page }) => {
    const tlsEcho = await startEchoServer({ tls: { cert: expiredServer().cert, key: expiredServer().key } });
    try {
      await openInspector(page, host.url);
      await connect(page, tlsEcho.url, { mode: 'none' });
      const alert = errorPanel(page);
      await expect(alert).toBeVisible();
      await expect(alert).toContainText('TLS_CERT_EXPIRED');
      await expect(alert).toContainText(/expired/i);
      await expect(alert).toContainText('2024-01-01');
      await saveScreenshot(page, 'error-cert-expired');
      await alert.getByText('What to do:').scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'error-cert-expired-hint');
    } finally {
      await tlsEcho.close();
    }
  });
});

test('--tls on 127.0.0.1: the page over HTTPS and the engine over WSS, after accepting the self-signed certificate', async ({ browser }) => {
  const own = await startWebHostProcess({ args: ['--tls'] });
  const strict = await browser.newContext();
  const trusting = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    // The fingerprint is printed for the user to compare with what the browser shows.
    await own.waitForOutput(/SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(own.origin).toBe(`https://127.0.0.1:${own.port}`);
    // A browser that was not told to accept it refuses the self-signed certificate.
    const refused = await (await strict.newPage()).goto(own.url).then(
      () => 'loaded',
      (error: unknown) => String(error),
    );
    expect(refused).toContain('ERR_CERT_AUTHORITY_INVALID');

    const page = await trusting.newPage();
    await openInspector(page, own.url);
    expect(page.url()).toBe(`${own.origin}/`);
    const cookie = (await trusting.cookies(own.origin)).find((c) => c.name === `tunnelscope_token_${own.port}`);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    await connect(page, echo.url, { mode: 'none' });
    await expect(stateOf(page)).toContainText(/open/i);
    await sendAndSeeEcho(page, 'hello over wss');
    await saveScreenshot(page, 'web-host-tls');
  } finally {
    await strict.close();
    await trusting.close();
    await own.stop();
  }
});

test('the page says so when the web host goes away', async ({ page }) => {
  const own = await startWebHostProcess();
  try {
    await openInspector(page, own.url);
    await own.stop();
    const banner = page.getByTestId('web-host-connection');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('Connection to the web host lost');
    await saveScreenshot(page, 'web-host-lost');
  } finally {
    await own.stop();
  }
});
