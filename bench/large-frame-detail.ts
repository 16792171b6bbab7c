/**
 * The detail pane on one large text frame (QA H4): a 5 MiB JSON message with no protocol, or the
 * 20 MiB STOMP message. Chromium (playwright-core, /usr/bin/chromium) opens the built UI through
 * the web host, connects to a `ws` server on 127.0.0.1 that sends the message, clicks its row and
 * waits for the pane to show the payload (the Text view or the JSON tree). Prints the wall time
 * from the click, the page's main-thread task time over it (CDP Performance.getMetrics
 * TaskDuration) and the bytes the page received over the host's socket meanwhile.
 *
 *   npx tsx bench/large-frame-detail.ts [json5|stomp20] [runs]
 * (the built UI: out/renderer, `npm run build`; TUNNELSCOPE_RENDERER_DIR to point elsewhere)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { Engine } from '../src-main/core/engine';
import { startWebHost } from '../src-main/web/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

function jsonMessage(bytes: number): string {
  const items: string[] = [];
  let size = 12;
  for (let i = 0; size < bytes; i += 1) {
    const item = JSON.stringify({ id: i, name: `item-${i}`, price: i * 0.25, tags: ['a', 'b', 'c'], note: 'x'.repeat(40) });
    items.push(item);
    size += item.length + 1;
  }
  return `{"items":[${items.join(',')}]}`;
}

function stompMessage(body: number): string {
  return `CONNECTED\nversion:1.2\n\n\0MESSAGE\ndestination:/topic/big\nmessage-id:m-1\nsubscription:sub-0\n\n${'a'.repeat(body - 3)}zzz\0`;
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'json5';
  const runs = Number(process.argv[3] ?? '3');
  const message = which === 'stomp20' ? stompMessage(20 * 1024 * 1024) : jsonMessage(5 * 1024 * 1024);
  const rendererDir = process.env['TUNNELSCOPE_RENDERER_DIR'] ?? path.join(ROOT, 'out', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error(`no built UI in ${rendererDir} (npm run build)`);
  const { chromium } = await import('playwright-core');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('v12.stomp') ? 'v12.stomp' : false) });
  wss.on('connection', (socket) => socket.send(message));
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const engine = new Engine({ host: 'web', version: 'bench', env: {} });
  const log: string[] = [];
  const host = await startWebHost({ engine, rendererDir, port: 0, log: (line) => log.push(line) });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    for (let run = 0; run < runs; run += 1) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      let received = 0;
      page.on('websocket', (ws) => ws.on('framereceived', (frame) => (received += typeof frame.payload === 'string' ? Buffer.byteLength(frame.payload) : frame.payload.length)));
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(host.url, { waitUntil: 'load' });
      if (which === 'stomp20') {
        await page.getByRole('button', { name: /^Connection options/ }).click();
        await page.getByLabel('Subprotocols', { exact: true }).fill('v12.stomp');
      }
      await page.getByLabel('URL', { exact: true }).fill(`ws://127.0.0.1:${address.port}/`);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const row = page.getByRole('grid', { name: 'Frames' }).locator('[role="row"]:not(.placeholder):not(.head)').first();
      await row.waitFor();
      await page.waitForTimeout(1000);
      const taskBefore = await taskSeconds(cdp);
      const receivedBefore = received;
      const started = performance.now();
      await row.click();
      await page.locator('.panel pre, .panel .jt').first().waitFor({ timeout: 60_000 });
      const shownMs = performance.now() - started;
      // Let the answers still on their way come in (the old pane fetched the decoded value too).
      await page.waitForTimeout(1500);
      const taskMs = ((await taskSeconds(cdp)) - taskBefore) * 1000;
      const view = (await page.locator('.toolbar [role="tab"][aria-selected="true"]').first().textContent()) ?? '';
      console.log(
        `${which} run ${run + 1}: shown in ${shownMs.toFixed(0)} ms (${view.trim()} view), page main thread ${taskMs.toFixed(0)} ms of tasks, ${((received - receivedBefore) / 1024 / 1024).toFixed(2)} MiB received`,
      );
      await page.close();
    }
  } finally {
    await browser.close();
    await host.close();
    await engine.dispose();
    for (const client of wss.clients) client.terminate();
    wss.close();
  }
  if (log.some((line) => line.includes('cut off'))) console.log(`the host: ${log.filter((line) => line.includes('cut off')).join(' | ')}`);
}

async function taskSeconds(cdp: { send(method: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }> }): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

await main();
