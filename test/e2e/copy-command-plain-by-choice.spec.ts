/**
 * A header unticked "secret" on purpose in a profile (X-Auth-Key, "plain, your choice") stays
 * plain in the tab opened from it: Copy as command shows its value while the secret X-Api-Token
 * is a placeholder, and the tab's Save keeps the choice in profiles.json (the value in clear,
 * `"plainByChoice": true`), the token still encrypted. Saved as
 * test-results/screenshots/copy-command-plain-by-choice.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openInspector, saveScreenshot } from './support/inspector';
import { addHeaders, openNewProfile } from './support/profile-dialog';
import { useWebHost } from './support/shared-web-host';

const webHost = useWebHost();

test('a header plain by choice is copied in clear and kept plain by the tab\'s Save', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, webHost().url);
  const dialog = await openNewProfile(page, { name: 'Plain choice', url: 'ws://127.0.0.1:9/plain', mode: 'none' });
  await addHeaders(dialog, ['X-Api-Token', 'X-Auth-Key']);
  await dialog.getByLabel('Header 1 value', { exact: true }).fill('tok-SECRET-123');
  await dialog.getByLabel('Header 2 is secret', { exact: true }).uncheck();
  await dialog.getByLabel('Header 2 value', { exact: true }).fill('plain-by-choice');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();

  await page.getByRole('list', { name: 'Profiles', exact: true }).getByRole('button', { name: /^Plain choice( |$)/ }).click();
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue('ws://127.0.0.1:9/plain');
  await page.getByRole('button', { name: /^Copy as command/ }).click();
  const text = page.getByTestId('command-text');
  await expect(text).toContainText("-H 'X-Auth-Key: plain-by-choice'");
  await expect(text).toContainText("-H 'X-Api-Token: <secret>'");
  await expect(text).not.toContainText('the value of the X-Auth-Key header');
  await saveScreenshot(page, 'copy-command-plain-by-choice');
  await page.keyboard.press('Escape');

  await page.getByLabel('URL', { exact: true }).fill('ws://127.0.0.1:9/plain-v2');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Tabs' }).getByLabel('unsaved changes')).toBeHidden();
  const stored = readFileSync(path.join(webHost().dataDir, 'profiles.json'), 'utf8');
  expect(stored).toContain('plain-v2');
  expect(stored).toContain('plain-by-choice');
  expect(stored).toContain('"plainByChoice": true');
  expect(stored).not.toContain('tok-SECRET-123');
});
