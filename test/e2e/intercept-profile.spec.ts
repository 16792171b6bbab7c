/**
 * Intercept with a profile (issue 13), in Chromium through the web host: a profile "Corp" made
 * in the profile editor with a manual proxy (a Basic sign-in proxy on 127.0.0.1) and its own
 * passthrough hosts (a bad line named at its line first), then picked on the Intercept page.
 * A Node ws client (HTTPS_PROXY, the CA downloaded from the page) reaches a wss:// echo server:
 * a host on the profile's list goes through untouched (the client trusts only the server's own
 * CA) and its row says the profile's list; another host is captured, via the profile's proxy;
 * a client that refuses our certificate is passed through to the profile's list from its row,
 * and the profile editor shows the host added. Screenshots at 1280x800 and 1920x1080:
 * test-results/screenshots/intercept-profile-*.png.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createCa, createLeaf, writePems, type PemDir } from '../support/certs';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { startBasicAuthProxy, type FakeProxy } from '../support/fake-proxy';
import { openInspector, saveScreenshot } from './support/inspector';
import { repoRoot, startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let echo: EchoServer;
let corpProxy: FakeProxy;
let pems: PemDir;
let downloads: string;
const clients: ChildProcess[] = [];

const SIZES = [
  { tag: '1280', width: 1280, height: 800 },
  { tag: '1920', width: 1920, height: 1080 },
] as const;

test.beforeAll(async () => {
  const upstreamCa = createCa('Intercept profile e2e upstream');
  pems = await writePems({ 'os-store.pem': upstreamCa.cert });
  // One certificate for every name the clients use: the profile's proxy tunnels each CONNECT to this server.
  echo = await startEchoServer({
    tls: { ...createLeaf({ cn: 'localhost', dns: ['localhost', 'captured.test', 'pinned.test'], ips: ['127.0.0.1'], issuer: upstreamCa }), hostname: 'localhost' },
  });
  corpProxy = await startBasicAuthProxy('ann', 'corp-secret-42', echo.port);
  host = await startWebHostProcess({ env: { TUNNELSCOPE_OS_CA_BUNDLE: pems.path('os-store.pem') } });
  downloads = mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-e2e-profile-ca-'));
});

test.afterAll(async () => {
  for (const child of clients) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid);
  await host?.stop();
  await corpProxy?.close();
  await echo?.close();
  await pems?.cleanup();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const CLIENT_SCRIPT = `
const WebSocket = require('ws');
const { HttpsProxyAgent } = require('https-proxy-agent');
const socket = new WebSocket(process.argv[1], { agent: new HttpsProxyAgent(process.env.HTTPS_PROXY) });
socket.on('open', () => { console.log('open'); socket.send('hello through corp'); });
socket.on('message', (data) => { console.log('echo: ' + data.toString()); socket.close(1000); });
socket.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
socket.on('error', (error) => { console.log('error ' + error.message); process.exit(1); });
`;

/** A Node ws client through the proxy trusting `caFile` only (NODE_EXTRA_CA_CERTS); it sends a line, reads the echo and closes. */
function runClient(target: string, proxyUrl: string, caFile: string | null): { output: () => string; exited: Promise<number | null> } {
  const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: proxyUrl };
  if (caFile === null) delete env['NODE_EXTRA_CA_CERTS'];
  else env['NODE_EXTRA_CA_CERTS'] = caFile;
  delete env['NO_PROXY'];
  delete env['no_proxy'];
  const child = spawn(process.execPath, ['-e', CLIENT_SCRIPT, target], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  clients.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { output: () => output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

async function screenshots(page: Page, state: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await saveScreenshot(page, `intercept-profile-${state}-${size.tag}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function openEditor(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menu', { name: `Actions for ${name}` }).getByRole('menuitem', { name: 'Edit…', exact: true }).click();
}

test("a profile's way out and passthrough hosts: made in the editor, picked on the Intercept page, a host on its list untouched, another captured, Pass through adds to it", async ({ page }) => {
  // Two window sizes for each screenshot, on a loaded machine.
  test.setTimeout(240_000);
  await openInspector(page, host.url);

  // The profile: a manual proxy with its sign-in, and its passthrough hosts (a bad line first).
  await page.getByRole('button', { name: 'New profile', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Corp');
  await dialog.getByLabel('URL', { exact: true }).fill('wss://corp.example/socket');
  await dialog.getByLabel('Mode', { exact: true }).selectOption('manual');
  await dialog.getByLabel('Address', { exact: true }).fill(`http://127.0.0.1:${corpProxy.port}`);
  await dialog.getByLabel('Username', { exact: true }).fill('ann');
  await dialog.getByLabel('Password', { exact: true }).fill('corp-secret-42');
  const hosts = dialog.getByLabel('Passthrough hosts', { exact: true });
  await hosts.fill('localhost\n\nhttps://bank.example/');
  await expect(dialog.getByTestId('profile-intercept-passthrough-problem')).toHaveText('✖ line 3: not a passthrough pattern: "https://bank.example/" is a URL: give the host alone (api.example.com)');
  await hosts.scrollIntoViewIfNeeded();
  await screenshots(page, 'editor-problem');
  await hosts.fill('localhost\n\n*.bank.example');
  await expect(dialog.getByTestId('profile-intercept-passthrough-problem')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();

  // Picked on the Intercept page: the upstream fields give way to the profile.
  await page.getByTestId('intercept-entry').click();
  await page.getByTestId('intercept-profile').selectOption({ label: 'Corp' });
  await expect(page.getByTestId('intercept-profile-note')).toContainText("The way out, its sign-in and the servers' trust are profile Corp's");
  await expect(page.getByTestId('intercept-profile-note')).toContainText('localhost, *.bank.example');
  await expect(page.getByTestId('intercept-upstream-none')).toHaveCount(0);
  await page.getByLabel('port', { exact: true }).fill('0');
  await screenshots(page, 'picked');
  const toggle = page.getByRole('switch');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  const proxyUrl = (await page.getByTestId('intercept-address').textContent()) ?? '';
  await expect(page.getByTestId('intercept-view')).toContainText(`Running with upstream profile "Corp": http://127.0.0.1:${corpProxy.port}`);
  await expect(page.getByTestId('intercept-passthrough')).toContainText('profile "Corp": localhost, *.bank.example');
  await expect(page.getByTestId('intercept-passthrough')).toContainText('global: none');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('intercept-ca-download').click();
  const caFile = path.join(downloads, 'tunnelscope-ca.pem');
  await (await downloading).saveAs(caFile);

  // On the profile's list: untouched (the client trusts only the server's own CA), through the profile's proxy.
  const untouched = runClient(`wss://localhost:${echo.port}/untouched`, proxyUrl, pems.path('os-store.pem'));
  expect(await untouched.exited).toBe(0);
  expect(untouched.output()).toContain('echo: hello through corp');
  const passedRow = page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: `localhost:${echo.port}` });
  await expect(passedRow).toContainText('passed through: profile "Corp"');

  // Not on it: captured, its way out the profile's proxy.
  const captured = runClient(`wss://captured.test:${echo.port}/chat`, proxyUrl, caFile);
  expect(await captured.exited).toBe(0);
  expect(captured.output()).toContain('echo: hello through corp');
  const capturedRow = page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: `wss://captured.test:${echo.port}/chat` });
  await expect(capturedRow).toContainText(`via http://127.0.0.1:${corpProxy.port}`);

  // A client that refuses our certificate: passed through to the profile's list from its row.
  const refusing = runClient(`wss://pinned.test:${echo.port}/pinned`, proxyUrl, null);
  expect(await refusing.exited).toBe(1);
  const refusedRow = page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: 'certificate refused by the client' });
  await expect(refusedRow).toHaveCount(1);
  await refusedRow.getByRole('button', { name: 'Pass through…' }).click();
  await expect(refusedRow.getByRole('button', { name: 'Global list' })).toBeVisible();
  await screenshots(page, 'pass-through-choice');
  await refusedRow.getByRole('button', { name: 'Profile “Corp”' }).click();
  await expect(page.getByText('pinned.test is on the passthrough list of profile "Corp": its next connection goes through untouched.')).toBeVisible();
  await expect(page.getByTestId('intercept-passthrough')).toContainText('profile "Corp": localhost, *.bank.example, pinned.test');
  const again = runClient(`wss://pinned.test:${echo.port}/again`, proxyUrl, pems.path('os-store.pem'));
  expect(await again.exited).toBe(0);
  await expect(page.getByTestId('intercept-connections').getByRole('row').filter({ hasText: `pinned.test:${echo.port}` }).filter({ hasText: 'passed through' })).toContainText(
    'passed through: profile "Corp"',
  );
  await screenshots(page, 'running');
  expect(corpProxy.requests.some((r) => r.requestLine === `CONNECT captured.test:${echo.port} HTTP/1.1`)).toBe(true);

  // The profile was saved with the host: its editor shows it.
  await openEditor(page, 'Corp');
  await expect(page.getByRole('dialog').getByLabel('Passthrough hosts', { exact: true })).toHaveValue('localhost\n*.bank.example\npinned.test');
  await page.getByRole('dialog').getByLabel('Passthrough hosts', { exact: true }).scrollIntoViewIfNeeded();
  await screenshots(page, 'editor-saved');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByRole('switch').click();
  await expect(page.getByRole('switch')).toHaveAttribute('aria-checked', 'false');
});
