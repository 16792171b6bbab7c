/**
 * Issue 13's headline, end to end: the app's intercepting proxy switched on (upstream: a real
 * Squid), a second Chromium started with `--proxy-server` at it and our CA trusted for that run
 * by `--ignore-certificate-errors-spki-list=<SHA-256 of the CA's SPKI>` (the CA is in the chain
 * the proxy presents; no NSS database is touched), loading an https:// page that opens a wss://
 * WebSocket. The captured session shows up live in the app; a breakpoint rule made in its tab
 * holds the page's message, the tab's panel edits it as JSON, and the server receives it
 * rewritten (and the page gets the server's answer to the rewritten message). A server message
 * is held and dropped, and a message injected to the page arrives. Screenshots of the panel.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';
import WebSocket, { WebSocketServer } from 'ws';
import { testCa, trustedServer } from '../support/certs';
import { squidMissing, startSquid, type RunningSquid } from '../support/squid';
import { openInspector, saveScreenshot, frames } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

/** An https:// server with a page that opens a wss:// WebSocket to itself, recording what the WebSocket gets. */
interface PageServer {
  origin: string;
  received: string[];
  send(text: string): void;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>connecting</title>
<h1>Trading page</h1><ul id="got"></ul>
<script>
  const ws = new WebSocket('wss://' + location.host + '/trade');
  ws.onopen = () => { document.title = 'open'; };
  ws.onmessage = (event) => { const li = document.createElement('li'); li.textContent = String(event.data); document.getElementById('got').append(li); };
  ws.onclose = (event) => { document.title = 'closed ' + event.code; };
  window.sendOrder = (text) => ws.send(text);
</script>`;

async function startPageServer(): Promise<PageServer> {
  const pair = trustedServer();
  const server = https.createServer({ cert: pair.cert, key: pair.key }, (request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(PAGE);
  });
  const wss = new WebSocketServer({ server });
  const received: string[] = [];
  let peer: WebSocket | undefined;
  wss.on('connection', (socket) => {
    peer = socket;
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      received.push(text);
      socket.send(`server got ${text}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `https://localhost:${port}`,
    received,
    send: (text) => peer?.send(text),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Chromium's `--ignore-certificate-errors-spki-list` value: base64 of the SHA-256 of the DER SubjectPublicKeyInfo. */
function spkiHash(certPem: string): string {
  const der = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

test.describe('intercept: a browser page through Tunnelscope and Squid, a breakpoint rewriting its message', () => {
  test.skip(squidMissing !== undefined, `Squid cannot run here: ${squidMissing ?? ''}`);
  let host: WebHostProcess | undefined;
  let squid: RunningSquid | undefined;
  let pageServer: PageServer | undefined;
  let client: Browser | undefined;

  test.afterEach(async () => {
    await client?.close();
    await Promise.allSettled([host?.stop(), squid?.stop(), pageServer?.close()]);
    client = undefined;
    host = undefined;
    squid = undefined;
    pageServer = undefined;
  });

  test('the captured page shows up live; a rule holds its order, the panel rewrites it, the server receives it rewritten', async ({ page }, testInfo) => {
    pageServer = await startPageServer();
    const srv = pageServer;
    squid = await startSquid({ connectPorts: 'any' });
    // The engine trusts the page server's CA as the OS store (the upstream leg's trust), nothing else changes.
    const bundle = testInfo.outputPath('os-bundle.pem');
    writeFileSync(bundle, testCa().cert);
    host = await startWebHostProcess({ env: { TUNNELSCOPE_OS_CA_BUNDLE: bundle } });
    await openInspector(page, host.url);

    // The Intercept page: the upstream is Squid, any free port; switched on.
    await page.getByTestId('intercept-entry').click();
    await page.getByRole('textbox', { name: 'port', exact: true }).fill('0');
    await page.getByTestId('intercept-upstream-manual').check();
    await page.getByRole('textbox', { name: 'Proxy URL', exact: true }).fill(squid.url);
    await page.getByTestId('intercept-switch').click();
    const address = (await page.getByTestId('intercept-address').textContent())?.trim() ?? '';
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const caPem = (JSON.parse(readFileSync(path.join(host.dataDir, 'intercept-ca.json'), 'utf8')) as { certPem: string }).certPem;

    // The client browser: every request through the proxy (loopback too), our CA trusted for this run only.
    client = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--proxy-server=${address}`,         '--proxy-bypass-list=<-loopback>',
        `--ignore-certificate-errors-spki-list=${spkiHash(caPem)}`,
      ],
    });
    const tradingPage = await client.newPage();
    await tradingPage.goto(`${srv.origin}/`);
    await expect(tradingPage).toHaveTitle('open');

    // The captured WebSocket opened a tab: its log is live, and its breakpoint panel takes the composer's place.
    const captured = page.getByRole('button', { name: /^captured localhost:\d+\/trade/ });
    await expect(captured).toHaveCount(1);
    await captured.click();
    await expect(page.getByTestId('captured-header')).toContainText(`wss://localhost:${new URL(srv.origin).port}/trade`);
    const panel = page.getByTestId('breakpoint-panel');
    await expect(panel).toBeVisible();

    // A message before any rule crosses at once, and shows up live in the log.
    await tradingPage.evaluate(() => (globalThis as unknown as { sendOrder(text: string): void }).sendOrder('hello before rules'));
    await expect(tradingPage.locator('#got li')).toHaveText(['server got hello before rules']);
    await expect(frames(page).getByRole('row').filter({ hasText: 'hello before rules' }).first()).toBeVisible();

    // The rule: orders on their way to the server, by JSONPath; a bad JSONPath is named first.
    await panel.getByRole('button', { name: /^Rules/ }).click();
    await panel.getByTestId('rule-add').click();
    await panel.getByLabel('Rule 1 direction').selectOption('out');
    await panel.getByLabel('Rule 1 matches on').selectOption('jsonPath');
    await panel.getByLabel('Rule 1 JSONPath').fill('type');
    await panel.getByTestId('rules-apply').click();
    await expect(panel.getByTestId('rules-problem')).toContainText('starts with $');
    await panel.getByLabel('Rule 1 JSONPath').fill('$[?(@.type == "order")]');
    await panel.getByTestId('rules-apply').click();
    await expect(panel.getByText('1 rule in force, for every intercepted connection.')).toBeVisible();
    await saveScreenshot(page, 'intercept-breakpoint-rules');

    // The page sends an order: it is held, and what the page sends next waits behind it.
    await panel.getByRole('button', { name: /^Held/ }).click();
    await tradingPage.evaluate(() => {
      const send = (globalThis as unknown as { sendOrder(text: string): void }).sendOrder;
      send('{"type":"order","qty":1}');
      send('after the order');
    });
    await expect(panel.getByTestId('held-out').locator('li')).toHaveCount(1);
    await expect(panel.getByTestId('waiting-counts')).toContainText('2 to the server');
    expect(srv.received).toEqual(['hello before rules']);
    await panel.getByTestId('held-edit').click();
    const editor = panel.getByTestId('held-editor');
    await panel.getByRole('button', { name: 'JSON', exact: true }).click();
    await editor.fill('{"type":"order","qty":');
    await expect(panel.getByTestId('held-forward-edited')).toBeDisabled();
    await expect(panel.getByText(/^not JSON:/)).toBeVisible();
    await editor.fill('{"type":"order","qty":100}');
    await saveScreenshot(page, 'intercept-breakpoint-held-edit');
    await panel.getByTestId('held-forward-edited').click();

    // Both ends: the server received the rewritten order, then the message behind it; the page got the answers.
    await expect.poll(() => srv.received).toEqual(['hello before rules', '{"type":"order","qty":100}', 'after the order']);
    await expect(tradingPage.locator('#got li')).toHaveText(['server got hello before rules', 'server got {"type":"order","qty":100}', 'server got after the order']);
    await expect(panel.getByTestId('waiting-counts')).toContainText('0 to the server');
    await expect(frames(page).getByRole('row').filter({ hasText: '{"type":"order","qty":100}' }).first()).toBeVisible();

    // A server message held on its way to the page and dropped never arrives; an injected one does.
    await panel.getByRole('button', { name: /^Rules/ }).click();
    await panel.getByTestId('rule-add').click();
    await panel.getByLabel('Rule 2 direction').selectOption('in');
    await panel.getByLabel('Rule 2 contains').fill('secret');
    await panel.getByTestId('rules-apply').click();
    await expect(panel.getByText('2 rules in force, for every intercepted connection.')).toBeVisible();
    await panel.getByRole('button', { name: /^Held/ }).click();
    srv.send('secret for the page');
    await expect(panel.getByTestId('held-in').locator('li')).toHaveCount(1);
    await panel.getByTestId('held-in').getByTestId('held-drop').click();
    await expect(panel.getByTestId('held-in')).toHaveCount(0);
    await panel.getByRole('button', { name: 'Inject & close' }).click();
    await panel.getByRole('button', { name: 'To the client' }).click();
    await panel.getByTestId('inject-message').fill('typed in Tunnelscope');
    await panel.getByTestId('inject-send').click();
    await expect(tradingPage.locator('#got li').last()).toHaveText('typed in Tunnelscope');
    await expect(tradingPage.locator('#got li')).not.toContainText(['secret for the page']);

    // The log marks each change; the edited frame's detail keeps the original.
    const log = frames(page);
    await expect(log.getByRole('row').filter({ hasText: '{"type":"order","qty":100}' }).first()).toContainText('edited');
    await expect(log.getByRole('row').filter({ hasText: 'secret for the page' })).toContainText('dropped');
    await expect(log.getByRole('row').filter({ hasText: 'typed in Tunnelscope' })).toContainText('injected');
    await log.getByRole('row').filter({ hasText: '{"type":"order","qty":100}' }).filter({ hasText: 'edited' }).click();
    await expect(page.getByTestId('frame-intercept-mark')).toHaveText('edited');
    await page.getByTestId('frame-original').locator('summary').click();
    await expect(page.getByTestId('frame-original')).toContainText('{"type":"order","qty":1}');
    await saveScreenshot(page, 'intercept-breakpoint-inject');
  });
});
