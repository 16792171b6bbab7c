/**
 * The MQTT keep-alive row in Chromium through the web host: under Connection options it is on by
 * default, its label fits on one line (1280 and 1024 px), its hint says what it does, and turned
 * off the hint and the summary say so. Screenshots at 1280 and 1024 px.
 */
import { expect, test, type Page } from '@playwright/test';
import { openInspector, saveScreenshot } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;

test.beforeAll(async () => {
  host = await startWebHostProcess();
});

test.afterAll(async () => {
  await host?.stop();
});

function setup(page: Page) {
  return page.getByRole('region', { name: 'Connection setup' });
}

test('the row: on by default, one-line label at 1280 and 1024 px, off says so', async ({ page }) => {
  await openInspector(page, host.url);
  await page.getByRole('button', { name: /^Connection options:/ }).click();
  const box = setup(page).getByTestId('mqtt-keepalive');
  const hint = setup(page).getByTestId('mqtt-keepalive-hint');
  await expect(box).toBeChecked();
  await expect(hint).toContainText('a PINGREQ goes out whenever no MQTT packet was sent for that long');
  const label = setup(page).getByText('MQTT keep-alive', { exact: true });
  const oneLine = setup(page).getByText('Compression', { exact: true });
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 800 });
    await box.scrollIntoViewIfNeeded();
    const [height, lineHeight] = await Promise.all([label.evaluate((e) => e.getBoundingClientRect().height), oneLine.evaluate((e) => e.getBoundingClientRect().height)]);
    expect(height, `the label's height at ${width} px (one line: ${lineHeight} px)`).toBeLessThan(lineHeight * 1.5);
    await saveScreenshot(page, `mqtt-keepalive-row-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await box.uncheck();
  await expect(hint).toContainText('No PINGREQ is sent');
  await expect(page.getByRole('button', { name: /^Connection options:/ })).toContainText('MQTT keep-alive off');
  await box.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'mqtt-keepalive-row-off-1280');
});
