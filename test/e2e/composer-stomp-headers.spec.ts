/**
 * The composer's STOMP headers at 1280 and 900 px (issue 14 QA): the header name CONNECT proposes
 * first, "accept-version", was cut to "accept-vers" in its box. Every proposed header name is now
 * whole in its box (its text no wider than the box). A `ws` server on 127.0.0.1 (port 0) stands
 * for the broker (nothing is sent). Screenshot: test-results/screenshots/composer-stomp-headers-<width>.png.
 */
import { expect, test } from '@playwright/test';
import { startLocalWss, type LocalWss } from './support/local-wss';
import { connect, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let wss: LocalWss | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess();
  wss = await startLocalWss(() => undefined);
});

test.afterAll(async () => {
  await wss?.close();
  await host?.stop();
});

/** The little of an input the check reads (the e2e tsconfig has no DOM library). */
interface Box {
  scrollWidth: number;
  clientWidth: number;
}

for (const width of [1280, 900]) {
  test(`at ${width} px each proposed header name is whole in its box`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await openInspector(page, host.url);
    await connect(page, `${wss?.base ?? ''}/stomp`);
    await expect(stateOf(page)).toContainText('open');
    const composer = page.getByRole('region', { name: 'Composer' });
    await composer.getByRole('button', { name: 'Protocol', exact: true }).click();
    await composer.getByLabel('Protocol', { exact: true }).selectOption('stomp');
    for (const command of ['CONNECT', 'SUBSCRIBE', 'SEND', 'BEGIN', 'DISCONNECT']) {
      await composer.getByLabel('Command', { exact: true }).selectOption(command);
      const name = composer.getByLabel('Header 1 name');
      await expect(name).not.toHaveValue('');
      const fits = await name.evaluate((input) => (input as unknown as Box).scrollWidth <= (input as unknown as Box).clientWidth);
      expect(fits, `${command}'s "${await name.inputValue()}" fits its box`).toBe(true);
    }
    await composer.getByLabel('Command', { exact: true }).selectOption('CONNECT');
    await expect(composer.getByLabel('Header 1 name')).toHaveValue('accept-version');
    await saveScreenshot(page, `composer-stomp-headers-${width}`);
  });
}
