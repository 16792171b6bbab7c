/**
 * The status bar of an open connection with its live throughput graph, at 1280×800 and
 * 1920×1080 through the web host: one line; at 1920 the sparkline drawn on the bar with each
 * rate carrying its unit (no box with a lone `msg/s`); at 1280 the graph left to the Statistics
 * tab. Saved as
 * test-results/screenshots/statusbar-graph-<width>x<height>.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { connect, openInspector, screenshotDir, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let echo: EchoServer;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  echo = await startEchoServer();
});

test.afterAll(async () => {
  await host?.stop();
  await echo?.close();
});

for (const size of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  test(`the throughput graph in the status bar at ${size.width}x${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    await openInspector(page, host.url);
    await connect(page, `${echo.url}/status/graph`);
    await expect(stateOf(page)).toContainText('open');
    await page.getByRole('textbox', { name: /message/i }).first().fill('hello');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const bar = page.locator('.statusbar');
    const graph = page.getByTestId('throughput-graph');
    if (size.width >= 1920) {
      await expect(graph).toBeVisible({ timeout: 15_000 });
      // Each rate carries its unit; nothing stands beside the sparkline on its own.
      await expect(bar.locator('.throughput')).toContainText('msg/s');
      expect(await bar.getByRole('button', { name: /^Throughput graph/ }).innerText()).toBe('');
    } else {
      // Too narrow for the graph (the Statistics tab has it): the counts stay.
      await expect(bar).toContainText('1 msg');
      await expect(graph).toBeHidden();
    }
    expect((await bar.boundingBox())?.height ?? 99).toBeLessThanOrEqual(32);
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, `statusbar-graph-${size.width}x${size.height}.png`) });
    await page.locator('.statusbar').screenshot({ path: path.join(screenshotDir, `statusbar-graph-bar-${size.width}x${size.height}.png`) });

    // The composer's Protocol format just picked: its empty destination is not an error yet.
    await page.getByRole('button', { name: 'Protocol', exact: true }).click();
    await expect(page.getByTestId('protocol-waiting')).toBeVisible();
    await expect(page.getByTestId('protocol-problem')).toHaveCount(0);
    await page.screenshot({ path: path.join(screenshotDir, `composer-protocol-fresh-${size.width}x${size.height}.png`) });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByTestId('protocol-problem')).toHaveText('The headers: a SUBSCRIBE frame needs a destination header.');
    await page.screenshot({ path: path.join(screenshotDir, `composer-protocol-sent-${size.width}x${size.height}.png`) });
  });
}
