/**
 * An imported log decodes as the session did when exported: the file's recorded Decode choice
 * (MessagePack, which auto never guesses) sets the tab's Decode, and the Summary column reads the
 * frames; a Protocol Buffers log names its schema and says to choose it. An older file (no
 * choice) opens on Auto as before.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { frames, openInspector, saveScreenshot } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let dir: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  dir = await mkdtemp(path.join(tmpdir(), 'tunnelscope-import-decode-'));
});

test.afterAll(async () => {
  await host?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const HEADER = { type: 'tunnelscope-session', version: 1, url: 'ws://127.0.0.1:9/', createdAt: '2026-12-06T22:12:31.364Z', exportedAt: '2026-12-06T22:12:31.754Z', state: 'closed', proxy: null, handshake: [], error: null, closed: null, framesDropped: 0, filter: null };
/** MessagePack {type: 'price', sym: 'ACME', price: 12.5}, as the QA server sent it. */
const MSGPACK = { seq: 1, dir: 'in', opcode: 'binary', at: '2026-12-06T22:12:31.615Z', size: 38, base64: '3gADpHR5cGWlcHJpY2Wjc3ltpEFDTUWlcHJpY2XLQCkAAAAAAAA=' };

async function importFile(page: Page, name: string, decode: unknown): Promise<void> {
  const file = path.join(dir, name);
  await writeFile(file, [JSON.stringify({ ...HEADER, ...(decode !== undefined ? { decode } : {}) }), JSON.stringify(MSGPACK)].join('\n'));
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import log…' }).click();
  await (await choosing).setFiles(file);
  await expect(page.locator('.strip .tab.active')).toContainText(name);
}

function summary(page: Page) {
  return frames(page).locator('[role="row"]:not(.placeholder):not(.head) .c-summary').first();
}

test('the recorded Decode choice opens the imported tab with it; protobuf names its schema', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openInspector(page, host.url);
  await importFile(page, 'mp.ndjson', { choice: 'msgpack' });
  await expect(page.getByLabel('Decode', { exact: true })).toHaveValue('msgpack');
  await expect(summary(page)).toHaveText('MessagePack map {type, sym, price}');
  await saveScreenshot(page, 'import-decode-msgpack');

  await importFile(page, 'chat.ndjson', { choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Msg' } });
  await expect(page.getByLabel('Decode', { exact: true })).toHaveValue('protobuf');
  await expect(page.getByRole('list', { name: 'Import notes' })).toContainText('decoded as Protocol Buffers with schema chat.proto#chat.Msg when exported; choose the schema to decode it');
  await saveScreenshot(page, 'import-decode-protobuf');

  await importFile(page, 'old.ndjson', undefined);
  await expect(page.getByLabel('Decode', { exact: true })).toHaveValue('auto');
});
