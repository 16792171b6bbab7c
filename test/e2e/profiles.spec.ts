/**
 * Profiles in the browser, through the web host as a user runs it with `--data-dir`: create a
 * profile with a secret header and saved messages, edit it, restart the web host on the same
 * folder and find it again, open it into a tab and connect to a local echo server (the secret
 * reaches the server; the page never sees it), send its saved messages, delete it and undo,
 * "Save as profile" from a plain tab, an import with problems, and an export. Each state is
 * saved as test-results/screenshots/profiles-*.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startEchoServer, type EchoServer } from '../support/echo-server';
import { frames, openInspector, saveScreenshot, stateOf } from './support/inspector';
import { makeDataDir, removeDataDir, startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const SECRET_TOKEN = 'Bearer e2e-secret-7f3a9c';

let dataDir: string;
let host: WebHostProcess | undefined;
let echo: EchoServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dataDir = makeDataDir();
  echo = await startEchoServer();
  host = await startWebHostProcess({ dataDir });
});

test.afterAll(async () => {
  await host?.stop();
  await echo?.close();
  removeDataDir(dataDir);
});

function currentHost(): WebHostProcess {
  if (!host) throw new Error('the web host is not running');
  return host;
}

function sidebarProfiles(page: Page) {
  return page.getByRole('list', { name: 'Profiles', exact: true });
}

/** A profile's button in the sidebar (its name, then where it connects to). */
function profileItem(page: Page, name: string) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return sidebarProfiles(page).getByRole('button', { name: new RegExp(`^${escaped}( |$)`) });
}

function editor(page: Page) {
  return page.getByRole('dialog');
}

async function profileAction(page: Page, name: string, action: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menu', { name: `Actions for ${name}` }).getByRole('menuitem', { name: action, exact: true }).click();
}

test('the web host says where profiles are stored and how secrets are protected', async () => {
  const h = currentHost();
  // The warning goes to stderr, which may arrive after stdout's lines: wait for both.
  await h.waitForOutput(/Secrets in them are protected by/);
  await h.waitForOutput(/WARNING: TUNNELSCOPE_SECRET_STORE=keyfile is set\./);
  expect(h.output()).toContain(`Profiles are stored in ${path.join(dataDir, 'profiles.json')}`);
  expect(h.output()).toContain('Secrets in them are protected by a key file (weaker than an OS keyring).');
  expect(h.output()).toContain('WARNING: TUNNELSCOPE_SECRET_STORE=keyfile is set.');
});

test('create a profile with every kind of field, then edit it', async ({ page }) => {
  await openInspector(page, currentHost().url);
  await expect(page.getByText('No profiles yet.')).toBeVisible();
  await expect(page.getByText('Secrets: key file only (weaker)')).toBeVisible();
  await saveScreenshot(page, 'profiles-empty');

  await page.getByRole('button', { name: 'New profile', exact: true }).click();
  const dialog = editor(page);
  await expect(dialog.getByRole('heading', { name: 'New profile' })).toBeVisible();
  await dialog.getByLabel('Name', { exact: true }).fill('local echo');
  await dialog.getByLabel('URL', { exact: true }).fill(echo.url);
  await dialog.getByLabel('Mode', { exact: true }).selectOption('none');
  await dialog.getByRole('button', { name: '+ Add header', exact: true }).click();
  await dialog.getByLabel('Header 1 name', { exact: true }).fill('Authorization');
  await dialog.getByLabel('Header 1 value', { exact: true }).fill(SECRET_TOKEN);
  await dialog.getByLabel('Header 1 is secret', { exact: true }).check();
  await expect(dialog.getByLabel('Header 1 value', { exact: true })).toHaveAttribute('type', 'password');
  await dialog.getByLabel('Reconnect when the connection drops or fails (not when you close it)').check();
  await dialog.getByRole('button', { name: '+ Add message', exact: true }).click();
  await dialog.getByLabel('Message 1 name', { exact: true }).fill('greet');
  await dialog.getByLabel('Message 1 body', { exact: true }).fill('hello from a profile');
  await dialog.getByRole('button', { name: '+ Add message', exact: true }).click();
  await dialog.getByLabel('Message 2 name', { exact: true }).fill('subscribe');
  await dialog.getByLabel('Message 2 kind', { exact: true }).selectOption('json');
  await dialog.getByLabel('Message 2 body', { exact: true }).fill('{"op":"subscribe","ch":"book"}');
  await expect(dialog.getByText('Unsaved changes')).toBeVisible();
  await saveScreenshot(page, 'profiles-editor-new');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(profileItem(page, 'local echo')).toBeVisible();
  await expect(page.getByText('Saved “local echo”.')).toBeVisible();

  // The secret is stored encrypted: its bytes are nowhere in the file.
  const stored = readFileSync(path.join(dataDir, 'profiles.json'), 'utf8');
  expect(stored).toContain('local echo');
  expect(stored).not.toContain('e2e-secret-7f3a9c');

  // Edit: the saved secret shows only as "set"; change the timeout and a message.
  await profileAction(page, 'local echo', 'Edit…');
  await expect(dialog.getByRole('heading', { name: 'Edit profile' })).toBeVisible();
  await expect(dialog.getByRole('img', { name: 'Header 1 value: saved, hidden' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Replace header 1 value', exact: true })).toBeVisible();
  expect(await dialog.innerHTML()).not.toContain('e2e-secret-7f3a9c');
  await dialog.getByLabel('Upgrade deadline, seconds', { exact: true }).fill('5');
  // A history out of bounds is named next to it, and keeps the profile from saving.
  await dialog.getByLabel('History kept', { exact: true }).fill('50');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog.getByText('✖ keep at least 100 frames')).toBeVisible();
  await dialog.getByLabel('History kept', { exact: true }).fill('200000');
  await dialog.getByLabel('Payload kept, MiB').fill('128');
  await dialog.getByLabel('History kept', { exact: true }).scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'profiles-editor-history');
  await dialog.getByLabel('Message 1 body', { exact: true }).fill('hello again from a profile');
  await saveScreenshot(page, 'profiles-editor-edit');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreenshot(page, 'profiles-editor-edit-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  await saveScreenshot(page, 'profiles-created');
});

test('after a restart of the web host on the same data folder the profile is still there', async ({ page }) => {
  await currentHost().stop();
  host = await startWebHostProcess({ dataDir });
  await openInspector(page, currentHost().url);
  await expect(profileItem(page, 'local echo')).toBeVisible();
  await profileAction(page, 'local echo', 'Edit…');
  await expect(editor(page).getByLabel('Upgrade deadline, seconds', { exact: true })).toHaveValue('5');
  await expect(editor(page).getByLabel('History kept', { exact: true })).toHaveValue('200000');
  await expect(editor(page).getByLabel('Payload kept, MiB')).toHaveValue('128');
  await expect(editor(page).getByLabel('Message 1 body', { exact: true })).toHaveValue('hello again from a profile');
  await editor(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(editor(page)).toBeHidden();
  await saveScreenshot(page, 'profiles-after-restart');
});

test('open the profile into a tab, connect, and send its saved messages', async ({ page }) => {
  await openInspector(page, currentHost().url);
  const tabsBefore = await page.getByRole('navigation', { name: 'Tabs' }).getByRole('listitem').count();
  await profileItem(page, 'local echo').click();
  const strip = page.getByRole('navigation', { name: 'Tabs' });
  await expect(strip.getByRole('listitem')).toHaveCount(tabsBefore + 1);
  await expect(strip.getByRole('button', { name: /^local echo/ })).toBeVisible();
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue(echo.url);

  const upgradesBefore = echo.upgrades.length;
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(stateOf(page)).toContainText(/open/i);
  // The engine decrypted the secret header and sent it; the page never had it.
  expect(echo.upgrades.at(upgradesBefore)?.authorization).toBe(SECRET_TOKEN);
  expect(await page.content()).not.toContain('e2e-secret-7f3a9c');

  await page.getByRole('button', { name: 'Send saved message “greet”', exact: true }).click();
  await expect(frames(page).getByRole('row').filter({ hasText: 'hello again from a profile' })).toHaveCount(2);
  await page.getByRole('button', { name: 'Send all in order', exact: true }).click();
  await expect(page.getByText('Sent all 2 in order.')).toBeVisible();
  await expect(frames(page).getByRole('row').filter({ hasText: '"op":"subscribe"' })).toHaveCount(2);
  await saveScreenshot(page, 'profiles-tab-open');

  // A change to the tab's form is marked, and "Save" writes it to the profile.
  await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(stateOf(page)).toContainText(/closed/i);
  await page.getByLabel('URL', { exact: true }).fill(`${echo.url}/v2`);
  await expect(strip.getByLabel('unsaved changes')).toBeVisible();
  await saveScreenshot(page, 'profiles-tab-unsaved');
  // Connect with the unsaved change: the engine fills in the saved secret header, the page never
  // has it, and the change stays unsaved.
  const beforeChanged = echo.upgrades.length;
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(stateOf(page)).toContainText(/open/i);
  expect(echo.upgrades.at(beforeChanged)?.authorization).toBe(SECRET_TOKEN);
  expect(await page.content()).not.toContain('e2e-secret-7f3a9c');
  await expect(strip.getByLabel('unsaved changes')).toBeVisible();
  await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(stateOf(page)).toContainText(/closed/i);
  // The saved header is not sent to another server: said at the headers, nothing sent.
  await page.getByLabel('URL', { exact: true }).fill(echo.url.replace('127.0.0.1', 'localhost'));
  const beforeRefused = echo.upgrades.length;
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByText(/the saved value of header Authorization in profile "local echo" is only sent to ws:\/\/127\.0\.0\.1:\d+/)).toBeVisible();
  expect(echo.upgrades.length).toBe(beforeRefused);
  await saveScreenshot(page, 'profiles-tab-secret-refused');
  await page.getByLabel('URL', { exact: true }).fill(`${echo.url}/v2`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(strip.getByLabel('unsaved changes')).toBeHidden();
  expect(readFileSync(path.join(dataDir, 'profiles.json'), 'utf8')).toContain(`${echo.url}/v2`);
});

test('"Save as profile" from a plain tab', async ({ page }) => {
  await openInspector(page, currentHost().url);
  await page.getByLabel('URL', { exact: true }).fill(`${echo.url}/plain`);
  await page.getByRole('button', { name: 'Save as profile', exact: true }).click();
  const form = page.getByRole('group', { name: 'Save as profile' });
  await form.getByLabel('Profile name', { exact: true }).fill('from a tab');
  await saveScreenshot(page, 'profiles-save-as');
  await form.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(profileItem(page, 'from a tab')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Tabs' }).getByRole('button', { name: /^from a tab/ })).toBeVisible();
});

test('auto-reconnect: a refused connection is retried with a countdown, until cancelled', async ({ page }) => {
  await openInspector(page, currentHost().url);
  await profileAction(page, 'from a tab', 'Edit…');
  const dialog = editor(page);
  // Port 1 on loopback refuses at once.
  await dialog.getByLabel('URL', { exact: true }).fill('ws://127.0.0.1:1/');
  await dialog.getByLabel('Reconnect when the connection drops or fails (not when you close it)').check();
  await dialog.getByLabel('First wait', { exact: true }).fill('6');
  await dialog.getByLabel('Attempts', { exact: true }).fill('3');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();

  await profileItem(page, 'from a tab').click();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(stateOf(page)).toContainText(/failed/i);
  // The engine runs the retries (one session, one log): the notice counts them against the profile's 3.
  await expect(page.getByText(/Retrying in \d+ s/)).toBeVisible();
  await expect(page.getByText(/reconnect [12] of 3/)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Tabs' }).getByText('reconnecting…')).toBeVisible();
  await saveScreenshot(page, 'profiles-reconnecting');
  await page.getByRole('button', { name: 'Cancel auto-reconnect', exact: true }).click();
  await expect(page.getByText(/Retrying in/)).toBeHidden();
});

test('delete a profile and undo', async ({ page }) => {
  await openInspector(page, currentHost().url);
  await profileAction(page, 'from a tab', 'Delete');
  await expect(profileItem(page, 'from a tab')).toBeHidden();
  await expect(page.getByText('Deleted “from a tab”.')).toBeVisible();
  await saveScreenshot(page, 'profiles-deleted-undo');
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(profileItem(page, 'from a tab')).toBeVisible();
  await expect(page.getByText('Restored “from a tab”.')).toBeVisible();
});

test('an import with problems lists every one with its place and imports nothing', async ({ page }) => {
  await openInspector(page, currentHost().url);
  const before = readFileSync(path.join(dataDir, 'profiles.json'), 'utf8');
  const bad = JSON.stringify({
    format: 'tunnelscope-profiles',
    version: 2,
    profiles: [
      { name: 'fine', url: 'wss://fine.example/', proxy: { mode: 'none' }, tls: {} },
      { name: 'broken', url: 'http://not-a-websocket', proxy: { mode: 'manual' }, tls: {} },
    ],
  });
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import profiles', exact: true }).click();
  await (await chooser).setFiles({ name: 'team-profiles.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  const report = page.getByRole('dialog');
  await expect(report.getByRole('heading', { name: 'Nothing was imported from team-profiles.json' })).toBeVisible();
  const problems = report.getByRole('list', { name: 'Import problems' }).getByRole('listitem');
  await expect(problems).toHaveCount(2);
  await expect(problems.filter({ hasText: 'profiles[1].url' })).toContainText('the URL must start with ws:// or wss://');
  await expect(problems.filter({ hasText: 'profiles[1].proxy.url' })).toContainText('a manual proxy needs a URL');
  await saveScreenshot(page, 'profiles-import-problems');
  await report.getByRole('button', { name: 'Close', exact: true }).click();
  expect(readFileSync(path.join(dataDir, 'profiles.json'), 'utf8')).toBe(before);
  await expect(profileItem(page, 'fine')).toHaveCount(0);
});

test('export all without secrets downloads a JSON file that leaves them out', async ({ page }) => {
  await openInspector(page, currentHost().url);
  await page.getByRole('button', { name: 'Export all profiles', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Include secrets').check();
  await expect(dialog.getByText('The file will hold the secrets in clear text.')).toBeVisible();
  await saveScreenshot(page, 'profiles-export-secrets-warning');
  await dialog.getByLabel('Include secrets').uncheck();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('tunnelscope-profiles.json');
  const text = readFileSync(await file.path(), 'utf8');
  expect(text).toContain('local echo');
  expect(text).not.toContain('e2e-secret-7f3a9c');
});
