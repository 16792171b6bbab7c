/**
 * Variables and environments in Chromium through the web host: an environment made in the
 * editor (a plain and a secret variable), chosen in the tab's form; an unknown {{name}} named
 * with its field before anything is sent; the connection reaching a local echo server filled
 * in (URL, header, message); the secret nowhere on the page. At 1280×800 and 1920×1080.
 * And a profile that remembers its environment: chosen in the profile editor, selected in a
 * tab opened from it, and named as deleted in the editor once it is.
 */
import { expect, test } from '@playwright/test';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const SECRET = 'e2e-SECRET-4b9d1f';

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
  test(`an environment fills the form's {{names}}; unknown ones are named first (${size.width}x${size.height})`, async ({ page }) => {
    await page.setViewportSize(size);
    await openInspector(page, host.url);
    const envName = `Staging ${size.width}`;

    // The editor: a new environment with a plain and a secret variable.
    await page.getByRole('button', { name: 'Edit environments…' }).click();
    const editor = page.getByTestId('environments-editor');
    await editor.getByRole('button', { name: '+ New environment' }).click();
    await editor.getByLabel('Name', { exact: true }).fill(envName);
    await editor.getByLabel('Variable 1 name').fill('host');
    await editor.getByLabel('Variable 1 value').fill(`127.0.0.1:${echo.port}`);
    await editor.getByRole('button', { name: '+ Add variable' }).click();
    await editor.getByLabel('Variable 2 name').fill('token');
    await editor.getByLabel('Variable 2 is secret').check();
    await editor.getByLabel('Variable 2 value (secret)').fill(SECRET);
    await editor.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(editor.getByTestId('environments-message')).toHaveText(`Saved “${envName}”.`);
    // Saved, the secret's field is empty again: its value never comes back to the page.
    await expect(editor.getByLabel('Variable 2 value (secret)')).toHaveValue('');
    await expect(editor.getByLabel('Variable 2 value (secret)')).toHaveAttribute('placeholder', '•••••• saved — type to replace');
    await saveScreenshot(page, `variables-editor-${size.width}x${size.height}`);
    await editor.getByRole('button', { name: 'Close', exact: true }).click();

    // The tab's form: proxy none, the environment chosen, a URL naming an unknown variable.
    await page.getByLabel('Proxy', { exact: true }).selectOption('none');
    await page.getByLabel('Environment', { exact: true }).selectOption({ label: envName });
    await page.getByLabel('URL', { exact: true }).fill('ws://{{host}}/{{room}}');
    const unresolved = page.getByTestId('unresolved-variables');
    await expect(unresolved).toHaveText(`✖ the URL: {{room}} is unknown: the environment "${envName}" does not define it`);
    await saveScreenshot(page, `variables-unknown-${size.width}x${size.height}`);
    const upgradesBefore = echo.upgrades.length;
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    // The engine refuses it too, naming it next to the URL; nothing reached the server.
    await expect(page.getByText(`{{room}} is not defined in the environment "${envName}"; nothing was sent`)).toBeVisible();
    expect(echo.upgrades.length).toBe(upgradesBefore);

    // Fixed: a header with the secret, the URL with both; the server gets them filled in.
    await page.getByLabel('URL', { exact: true }).fill('ws://{{host}}/env?key={{token}}');
    await expect(unresolved).toHaveCount(0);
    await page.getByRole('button', { name: /^Connection options/ }).click();
    await page.getByRole('button', { name: '+ Add header' }).click();
    await page.getByLabel('Header 1 name').fill('X-Api-Token');
    await page.getByLabel('Header 1 value').fill('Bearer {{token}}');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(stateOf(page)).toContainText('open');
    expect(echo.upgrades.at(-1)?.['x-api-token']).toBe(`Bearer ${SECRET}`);

    await page.getByLabel('Message', { exact: true }).fill('to {{host}}');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(frames(page).getByRole('row').filter({ hasText: `to 127.0.0.1:${echo.port}` })).toHaveCount(2);
    await expect(page.locator('body')).not.toContainText(SECRET);
    // A secret in a message is refused before anything is sent (the log shows frames as sent).
    await page.getByLabel('Message', { exact: true }).fill('leak {{token}}');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByText('{{token}} is a secret variable', { exact: false })).toBeVisible();
    await expect(frames(page).getByRole('row').filter({ hasText: 'leak' })).toHaveCount(0);
    await saveScreenshot(page, `variables-open-${size.width}x${size.height}`);

    // Copy as command: the names kept (tunnelscope gets --env) or resolved (the secret a placeholder).
    await page.getByRole('button', { name: /^Copy as command/ }).click();
    const text = page.getByTestId('command-text');
    await expect(text).toContainText(`tunnelscope connect 'ws://{{host}}/env?key={{token}}'`);
    await expect(text).toContainText(`--env '${envName}'`);
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect(text).toContainText(`tunnelscope connect 'ws://127.0.0.1:${echo.port}/env?key=<token>'`);
    await expect(text).toContainText('# the secret variable token is left out: type its value where <token> stands');
    await expect(page.locator('body')).not.toContainText(SECRET);
    await saveScreenshot(page, `variables-copy-command-${size.width}x${size.height}`);
  });
}

test("a profile remembers its environment: the editor's row, a new tab selects it, a deleted one is named", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await page.getByRole('button', { name: 'Edit environments…' }).click();
  const environments = page.getByTestId('environments-editor');
  await environments.getByRole('button', { name: '+ New environment' }).click();
  await environments.getByLabel('Name', { exact: true }).fill('Remembered');
  await environments.getByLabel('Variable 1 name').fill('host');
  await environments.getByLabel('Variable 1 value').fill(`127.0.0.1:${echo.port}`);
  await environments.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(environments.getByTestId('environments-message')).toHaveText('Saved “Remembered”.');
  await environments.getByRole('button', { name: 'Close', exact: true }).click();

  await page.getByRole('button', { name: 'New profile', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('remembers');
  await dialog.getByLabel('URL', { exact: true }).fill('ws://{{host}}/p');
  await dialog.getByLabel('Mode', { exact: true }).selectOption('none');
  await dialog.getByLabel('Environment', { exact: true }).selectOption({ label: 'Remembered' });
  await saveScreenshot(page, 'variables-profile-environment');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Actions for remembers', exact: true }).click();
  await page.getByRole('menu', { name: 'Actions for remembers' }).getByRole('menuitem', { name: 'Open in new tab', exact: true }).click();
  const picker = page.getByTestId('environment-picker').getByLabel('Environment', { exact: true });
  await expect(picker.locator('option:checked')).toHaveText('Remembered');
  const upgradesBefore = echo.upgrades.length;
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(stateOf(page)).toContainText('open');
  expect(echo.upgrades.length).toBe(upgradesBefore + 1);

  // Deleted: the editor names it and says the profile connects with none.
  await page.getByRole('button', { name: 'Unfold the connection setup', exact: true }).click();
  await page.getByRole('button', { name: 'Edit environments…' }).click();
  await expect(environments.getByLabel('Name', { exact: true })).toHaveValue('Remembered');
  await environments.getByRole('button', { name: 'Delete', exact: true }).click();
  await environments.getByRole('button', { name: 'Delete “Remembered”?', exact: true }).click();
  await expect(picker.locator('option:checked')).toHaveText('No environment');
  await environments.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('button', { name: 'Actions for remembers', exact: true }).click();
  await page.getByRole('menu', { name: 'Actions for remembers' }).getByRole('menuitem', { name: 'Edit…', exact: true }).click();
  await expect(dialog.getByTestId('profile-environment-deleted')).toContainText("This profile's environment was deleted");
  await expect(dialog.getByLabel('Environment', { exact: true }).locator('option:checked')).toHaveText('(environment deleted)');
  await saveScreenshot(page, 'variables-profile-environment-deleted');
});
