/**
 * Export's status line ("Saved N frames as <file>") stays inside the log pane in a narrow window
 * (issue 14 QA): at 900 px it ran 90 px past the log into the detail pane, over its text. Now it
 * is cut with "…" at the pane's edge and says itself whole in its tooltip. A `ws` server on
 * 127.0.0.1 (port 0) greets with three frames. Screenshots: test-results/screenshots/export-status-<width>.png.
 */
import { expect, test } from '@playwright/test';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let wss: LocalWss | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss((socket) => {
    for (let i = 0; i < 3; i++) socket.send(JSON.stringify({ event: 'price', seq: i }));
  });
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

for (const width of [900, 1024, 1280]) {
  test(`at ${width} px the export status ends inside the log pane`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await openInspector(page, host.url);
    await connect(page, `${wss?.base ?? ''}/export-status`);
    await expect(stateOf(page)).toContainText('open');
    await expect(frames(page).getByRole('row').filter({ hasText: '"seq":2' })).toHaveCount(1);

    await page.getByRole('button', { name: 'Export ▾' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'All frames as NDJSON' }).click();
    await download;
    const status = page.getByTestId('export-status');
    await expect(status).toContainText(/^Saved 3 frames as /);

    const statusBox = await status.boundingBox();
    const logBox = await frames(page).boundingBox();
    expect(statusBox, 'the status is drawn').not.toBeNull();
    expect(logBox, 'the log is drawn').not.toBeNull();
    if (!statusBox || !logBox) return;
    // The log grid spans the log pane's width; the status must not reach past it (1 px for rounding).
    expect(statusBox.x + statusBox.width).toBeLessThanOrEqual(logBox.x + logBox.width + 1);
    // Cut with "…", so the whole of it is in the tooltip.
    await expect(status).toHaveAttribute('title', /^Saved 3 frames as \S+\.ndjson$/);
    await saveScreenshot(page, `export-status-${width}`);
  });
}
