/**
 * The profiles' toast after an export is wider than the sidebar (its file name is never broken),
 * and at the window's foot it lay over the composer's "Message" label and field until it went
 * (QA, after 0f02ffa). It now sits above the composer: at 1024, 1280 and 1440 px its box meets
 * neither the composer label's box nor any control or label on the page.
 * Screenshots: test-results/screenshots/export-toast-placement-<width>.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { boxOf, overlaps, type Box } from './support/box-of';
import { openInspector, saveScreenshot } from './support/inspector';
import { useWebHost } from './support/shared-web-host';

test.describe.configure({ mode: 'serial' });

const webHost = useWebHost();

const CONTROLS = 'button, input, select, textarea, label, a[href], summary, [role="tab"], [role="button"], .ts-dock-label';

/** Every visible control or label outside the toast whose box meets the toast's, in words. */
async function controlsUnderToast(page: Page): Promise<string[]> {
  const toast = await boxOf(page.locator('.toast'));
  const controls = await page
    .locator(CONTROLS)
    .filter({ visible: true })
    .evaluateAll((elements) =>
      elements
        .filter((e) => e.closest('.toast') === null)
        .map((e) => ({ box: e.getBoundingClientRect().toJSON() as Box, what: `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 30)}"` })),
    );
  return controls.filter((c) => c.box.width > 0 && c.box.height > 0 && overlaps(c.box, toast)).map((c) => `${c.what} at ${Math.round(c.box.x)},${Math.round(c.box.y)}`);
}

test('the export toast covers neither the composer label nor any control', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, webHost().url);
  await page.getByRole('button', { name: 'New profile', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Flood-local staging gateway');
  await dialog.getByLabel('URL', { exact: true }).fill('ws://127.0.0.1:1/feed');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();

  const composerLabel = page.getByRole('region', { name: 'Composer' }).locator('label', { hasText: /^Message$/ });
  for (const width of [1024, 1280, 1440]) {
    await page.setViewportSize({ width, height: 800 });
    await page.getByRole('button', { name: 'Actions for Flood-local staging gateway', exact: true }).click();
    await page.getByRole('menu', { name: 'Actions for Flood-local staging gateway' }).getByRole('menuitem', { name: 'Export…', exact: true }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('dialog').getByRole('button', { name: /^Export/ }).click();
    await download;
    const fileName = page.locator('.toast .file-name');
    await expect(fileName).toHaveText('Flood-local-staging-gateway.tunnelscope.json');
    // Still whole on one line, inside the window.
    expect(await fileName.evaluate((el) => el.getClientRects().length)).toBe(1);
    // Placed once laid out (the toast follows the composer's top on the frame it shows).
    await expect.poll(async () => overlaps(await boxOf(page.locator('.toast')), await boxOf(composerLabel))).toBe(false);
    const toast = await boxOf(page.locator('.toast'));
    expect(toast.x + toast.width).toBeLessThanOrEqual(width);
    expect(toast.y).toBeGreaterThanOrEqual(0);
    expect(await controlsUnderToast(page)).toEqual([]);
    await saveScreenshot(page, `export-toast-placement-${width}`);
    await page.getByRole('button', { name: 'Dismiss the message', exact: true }).click();
    await expect(page.locator('.toast')).toHaveCount(0);
  }
});
