/**
 * Negotiate's service principal in the profile editor, in Chromium through the web host: a
 * profile set to Negotiate with a service principal is saved with it (profiles.json), shows it
 * again when edited, and keeps it through an unrelated edit. At 1280×800, screenshot
 * test-results/screenshots/negotiate-spn-editor.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openInspector, saveScreenshot } from './support/inspector';
import { openNewProfile } from './support/profile-dialog';
import { useWebHost } from './support/shared-web-host';

const webHost = useWebHost();

function storedProxy(): unknown {
  const stored: unknown = JSON.parse(readFileSync(path.join(webHost().dataDir, 'profiles.json'), 'utf8'));
  const profiles = typeof stored === 'object' && stored !== null && 'profiles' in stored && Array.isArray(stored.profiles) ? stored.profiles : [];
  const first: unknown = profiles[0];
  return typeof first === 'object' && first !== null && 'proxy' in first ? first.proxy : undefined;
}

test('a profile set to Negotiate keeps its service principal through save, edit and another save', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, webHost().url);
  const dialog = await openNewProfile(page, { name: 'kerberos proxy', url: 'wss://echo.corp.example/ws', mode: 'manual' });
  await dialog.getByLabel('Address', { exact: true }).fill('http://10.0.0.5:3128');
  await dialog.getByLabel('Sign-in', { exact: true }).selectOption('negotiate');
  await dialog.getByLabel('Service principal', { exact: true }).fill('HTTP@proxy.corp.example');
  await saveScreenshot(page, 'negotiate-spn-editor');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();
  expect(storedProxy()).toMatchObject({ auth: 'negotiate', servicePrincipal: 'HTTP@proxy.corp.example' });

  await page.getByRole('button', { name: 'Actions for kerberos proxy', exact: true }).click();
  await page.getByRole('menu', { name: 'Actions for kerberos proxy' }).getByRole('menuitem', { name: 'Edit…', exact: true }).click();
  await expect(dialog.getByLabel('Service principal', { exact: true })).toHaveValue('HTTP@proxy.corp.example');
  await dialog.getByLabel('URL', { exact: true }).fill('wss://echo2.corp.example/ws');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();
  expect(storedProxy()).toMatchObject({ auth: 'negotiate', servicePrincipal: 'HTTP@proxy.corp.example' });
});
