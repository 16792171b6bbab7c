/**
 * The profile editor at 1024 px: a header named like a credential (X-Api-Token) is ticked
 * secret as it is typed, with "(credential name)" beside the box; unticking it says "(plain,
 * your choice)"; X-Trace is left alone. Saved, the token is nowhere in profiles.json. Saved
 * as test-results/screenshots/profile-secret-headers-*.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openInspector, saveScreenshot } from './support/inspector';
import { addHeaders, openNewProfile } from './support/profile-dialog';
import { useWebHost } from './support/shared-web-host';

const webHost = useWebHost();

test('a credential-like header name ticks secret, says so, and may be unticked', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openInspector(page, webHost().url);
  const dialog = await openNewProfile(page, { name: 'Flood local', url: 'ws://127.0.0.1:9/flood', mode: 'none' });
  await addHeaders(dialog, ['X-Api-Token', 'X-Trace', 'X-Auth-Key']);
  await expect(dialog.getByLabel('Header 1 is secret', { exact: true })).toBeChecked();
  await expect(dialog.getByLabel('Header 2 is secret', { exact: true })).not.toBeChecked();
  await dialog.getByLabel('Header 1 value', { exact: true }).fill('tok-SECRET-123');
  await dialog.getByLabel('Header 2 value', { exact: true }).fill('trace-visible-7');
  await dialog.getByLabel('Header 3 is secret', { exact: true }).uncheck();
  await dialog.getByLabel('Header 3 value', { exact: true }).fill('plain-by-choice');
  await expect(dialog.getByTestId('header-1-secret-note')).toHaveText('(credential name)');
  await expect(dialog.getByTestId('header-3-secret-note')).toHaveText('(plain, your choice)');
  await dialog.getByRole('heading', { name: 'Headers' }).scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'profile-secret-headers-1024');
  await dialog.screenshot({ path: path.join('test-results/screenshots', 'profile-secret-headers-dialog-1024.png') });
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  const stored = readFileSync(path.join(webHost().dataDir, 'profiles.json'), 'utf8');
  expect(stored).not.toContain('tok-SECRET-123');
  expect(stored).toContain('plain-by-choice');
  expect(stored).toContain('"plainByChoice": true');
});
