/**
 * A filtered export (frames #12, #57, #300 of a session) imported keeps its numbers: the log's #
 * column shows 12, 57, 300, Go to # 57 selects that frame and the detail pane says #57, and a
 * number the file does not have says so and names the nearest (QA: they came in as 1, 2, 3).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { frames, openInspector, saveScreenshot } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let dir: string;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  dir = await mkdtemp(path.join(tmpdir(), 'tunnelscope-import-numbers-'));
});

test.afterAll(async () => {
  await host?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const HEADER = { type: 'tunnelscope-session', version: 1, url: 'ws://127.0.0.1:9/', createdAt: '2026-12-06T22:12:31.364Z', exportedAt: '2026-12-06T22:12:31.754Z', state: 'closed', proxy: null, handshake: [], error: null, closed: null, framesDropped: 0, filter: { text: 'order' } };

function frameLine(seq: number): string {
  const text = `{"order":${seq}}`;
  return JSON.stringify({ seq, dir: seq % 2 === 0 ? 'out' : 'in', opcode: 'text', at: new Date(Date.parse('2026-12-06T22:12:31.400Z') + seq).toISOString(), size: text.length, text });
}

test("an imported filtered export shows and goes to the file's frame numbers", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openInspector(page, host.url);
  const file = path.join(dir, 'filtered.ndjson');
  await writeFile(file, [JSON.stringify(HEADER), ...[12, 57, 300].map(frameLine)].join('\n'));
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import log…' }).click();
  await (await choosing).setFiles(file);
  await expect(page.locator('.strip .tab.active')).toContainText('filtered.ndjson');

  const rows = frames(page).locator('[role="row"]:not(.placeholder):not(.head)');
  await expect(rows.locator('.c-seq')).toHaveText(['12', '57', '300']);
  // No note that the numbers were changed: they were not.
  await expect(page.getByRole('list', { name: 'Import notes' })).toHaveCount(0);

  const goTo = page.getByRole('textbox', { name: 'Go to #' });
  await goTo.fill('57');
  await goTo.press('Enter');
  const selected = frames(page).locator('[role="row"][aria-selected="true"]');
  await expect(selected.locator('.c-seq')).toHaveText('57');
  await expect(selected).toContainText('{"order":57}');
  await expect(page.locator('.head .seq').first()).toHaveText('#57');
  await saveScreenshot(page, 'import-frame-numbers-57');

  await goTo.fill('58');
  await goTo.press('Enter');
  await expect(page.getByText('#58 is not in this file: the nearest are #57 and #300.')).toBeVisible();
  await expect(selected.locator('.c-seq')).toHaveText('57');
  await saveScreenshot(page, 'import-frame-numbers-58');

  // Reloaded, the page did not make the import: it asks the engine (frames:numbers) and shows them still.
  await page.reload();
  await page.getByRole('button', { name: /^Adopt/ }).click();
  await expect(page.locator('.strip .tab.active')).toContainText('filtered.ndjson');
  await expect(rows.locator('.c-seq')).toHaveText(['12', '57', '300']);
  await saveScreenshot(page, 'import-frame-numbers-reloaded');
});
