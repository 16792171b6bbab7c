/**
 * Repeated sends in Chromium through the web host: the composer's Repeat row sends a message
 * with {{$counter}} every 100 ms until stopped; the counter follows the engine, Stop ends it,
 * and the log holds distinct numbered messages and their echoes. At 1280×800 and 1920×1080.
 */
import { expect, test } from '@playwright/test';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { connect, frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
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
  test(`repeat every 100 ms until stopped, with a counter and Stop (${size.width}x${size.height})`, async ({ page }) => {
    await page.setViewportSize(size);
    await openInspector(page, host.url);
    await connect(page, `${echo.url}/repeat`);
    await expect(stateOf(page)).toContainText('open');

    await page.getByLabel('Message', { exact: true }).fill('tick {{$counter}}');
    await page.getByRole('button', { name: 'Repeat…' }).click();
    const row = page.getByRole('group', { name: 'Repeat', exact: true });
    await row.getByRole('button', { name: 'Until stopped' }).click();
    await row.getByLabel('every').fill('100');
    await row.getByRole('button', { name: 'Start repeat' }).click();

    const counter = row.getByRole('status');
    await expect(counter).toHaveText(/^sent ([5-9]|\d\d+)$/);
    await expect(frames(page).getByRole('row').filter({ hasText: 'tick 3' })).toHaveCount(2);
    await saveScreenshot(page, `repeat-running-${size.width}x${size.height}`);

    await row.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(counter).toHaveText(/^stopped after \d+ sends$/);
    const stoppedAt = Number((await counter.textContent())?.match(/\d+/)?.[0]);
    expect(stoppedAt).toBeGreaterThanOrEqual(5);
    // Each send was its own message: the last one numbered as the counter says, and echoed.
    await expect(frames(page).getByRole('row').filter({ hasText: `tick ${stoppedAt}` })).toHaveCount(2);
    await expect(frames(page).getByRole('row').filter({ hasText: `tick ${stoppedAt + 1}` })).toHaveCount(0);
    await expect(row.getByRole('button', { name: 'Start repeat' })).toBeEnabled();
    await saveScreenshot(page, `repeat-stopped-${size.width}x${size.height}`);
  });
}
