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
import { makeDataDir, removeDataDir, startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let dataDir: string;
let host: WebHostProcess | undefined;

test.beforeAll(async () => {
  dataDir = makeDataDir();
  host = await startWebHostProcess({ dataDir });
});

test.afterAll(async () => {
  await host?.stop();
  removeDataDir(dataDir);
});

test('a header plain by choice is copied in clear and kept plain by the tab\'s Save', async ({ page }) => {
  if (!host) throw new Error('the web host is not running');
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await page.getByRole('button', { name: 'New profile', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Plain choice');
  await dialog.getByLabel('URL', { exact: true }).fill('ws://127.0.0.1:9/plain');
  await dialog.getByLabel('Mode', { exact: true }).selectOption('none');
  for (const name of ['X-Api-Token', 'X-Auth-Key']) {
    await dialog.getByRole('button', { name: '+ Add header', exact: true }).click();
    const row = (await dialog.getByLabel(/^Header \d+ name$/).count()).toString();
    await dialog.getByLabel(`Header ${row} name`, { exact: true }).pressSequentially(name);
  }
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
  const stored = readFileSync(path.join(dataDir, 'profiles.json'), 'utf8');
  expect(stored).toContain('plain-v2');
  expect(stored).toContain('plain-by-choice');
  expect(stored).toContain('"plainByChoice": true');
  expect(stored).not.toContain('tok-SECRET-123');
});
