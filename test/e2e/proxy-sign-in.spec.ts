/**
 * Proxy sign-in in Chromium through the web host (issue 9): a proxy that asks for NTLM fails
 * the first attempt with its 407; the error panel's Retry with credentials form takes the
 * scheme (NTLM), the user, the password and the domain; the session opens through the proxy,
 * and the timeline shows each sign-in round decoded, never a token or the password. The
 * profile editor offers the same scheme and domain. At 1280×800 and 1920×1080.
 */
import { expect, test } from '@playwright/test';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { startNtlmProxy, type NtlmProxy } from './support/ntlm-proxy';
import { connect, errorPanel, openInspector, saveScreenshot, sendAndSeeEcho, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const PASSWORD = 'ntlm-pa55-word';

let host: WebHostProcess;
let echo: EchoServer;
let proxy: NtlmProxy;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  echo = await startEchoServer();
  proxy = await startNtlmProxy('alice', 'CORP', echo.port);
});

test.afterAll(async () => {
  await proxy?.close();
  await host?.stop();
  await echo?.close();
});

for (const size of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  const tag = `${size.width}x${size.height}`;

  test(`an NTLM proxy: Retry with credentials takes the scheme and the domain, and the timeline shows each round (${tag})`, async ({ page }) => {
    await page.setViewportSize(size);
    await openInspector(page, host.url);
    await connect(page, echo.url, { mode: 'manual', url: `http://127.0.0.1:${proxy.port}` });
    const alert = errorPanel(page);
    await expect(alert).toContainText('PROXY_AUTH_REQUIRED');
    const form = alert.getByRole('form', { name: 'Proxy credentials' });
    await form.getByLabel('Sign-in').selectOption('ntlm');
    await form.getByLabel('Proxy username').fill('alice');
    await form.getByRole('textbox', { name: 'Proxy password' }).fill(PASSWORD);
    await form.getByLabel('Domain').fill('CORP');
    await saveScreenshot(page, `proxy-sign-in-retry-form-${tag}`);
    await form.getByRole('button', { name: 'Retry with credentials' }).click();

    await expect(stateOf(page)).toContainText(/open/i);
    await sendAndSeeEcho(page, `through NTLM at ${tag}`);
    expect(proxy.signedIn.at(-1)).toBe('CORP\\alice');

    const handshake = page.getByRole('region', { name: 'Handshake' });
    const toggle = handshake.locator('button.head-toggle');
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
    // The credentials go with the first CONNECT to a proxy set by hand: its NEGOTIATE gets the
    // CHALLENGE, the AUTHENTICATE the tunnel (two CONNECT rows on the one connection).
    const rows = handshake.locator('li[data-leg="proxy"]');
    await expect(rows).toHaveCount(2);
    for (let i = 0; i < 2; i += 1) await rows.nth(i).locator('button.row-line').click();
    const signIn = handshake.locator('[data-part="sign-in"]');
    await expect(signIn.filter({ hasText: 'NTLM NEGOTIATE' })).toHaveCount(1);
    await expect(signIn.filter({ hasText: 'NTLM CHALLENGE' })).toContainText('server "PROXY1"');
    await expect(signIn.filter({ hasText: 'NTLM AUTHENTICATE' })).toContainText('user "alice" domain "CORP"');
    await expect(page.getByText(PASSWORD)).toHaveCount(0);
    await saveScreenshot(page, `proxy-sign-in-ntlm-rounds-${tag}`);
  });
}
