/**
 * The sidebar's import of a file with many problems (QA's b1.json and b2.json in one file): the
 * dialog lists all 4 at once, the bad proxy URL with the bad timeout and keepalive, and the name
 * with a NUL, a line feed and a RIGHT-TO-LEFT OVERRIDE by its first such character. Nothing is
 * imported.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openInspector, saveScreenshot } from './support/inspector';
import { useWebHost } from './support/shared-web-host';

const webHost = useWebHost();

test('an import lists every problem of every profile at once and imports nothing', async ({ page }) => {
  await openInspector(page, webHost().url);
  const profile = (name: string, fields: Record<string, unknown>): Record<string, unknown> => ({
    name,
    url: 'ws://127.0.0.1:9/prof',
    headers: [],
    subprotocols: [],
    proxy: { mode: 'none', caFiles: [] },
    tls: { caFiles: [], insecure: false },
    handshakeTimeoutMs: 10000,
    savedMessages: [],
    ...fields,
  });
  const file = JSON.stringify({
    format: 'tunnelscope-profiles',
    version: 2,
    profiles: [
      profile('b1', { proxy: { mode: 'manual', url: 'proxy.corp.:3128', username: 'alice', caFiles: [], password: 's3cret' }, handshakeTimeoutMs: -1, keepalive: { intervalMs: 'x' } }),
      profile('bad\u0000name\nnewline\u202etxt.exe', {}),
    ],
  });
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import profiles', exact: true }).click();
  await (await chooser).setFiles({ name: 'b1-b2.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  const report = page.getByRole('dialog');
  await expect(report.getByRole('heading', { name: 'Nothing was imported from b1-b2.json' })).toBeVisible();
  await expect(report).toContainText('4 problems were found');
  const problems = report.getByRole('list', { name: 'Import problems' }).getByRole('listitem');
  await expect(problems).toHaveText([
    'profiles[0].handshakeTimeoutMs: must be a whole number from 1 to 600000 (got -1)',
    'profiles[0].keepalive.intervalMs: must be a number (got a string "x")',
    'profiles[0].proxy.url: this proxy URL is not valid: a host name ending in a dot is not allowed (write "proxy.corp")',
    'profiles[1].name: a name may not hold U+0000 NULL at position 4 (and 2 more such characters): control characters, line breaks and text-direction controls garble it where it is shown',
  ]);
  await saveScreenshot(page, 'profile-import-all-problems');
  await report.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByText('No profiles yet.')).toBeVisible();
  const stored = path.join(webHost().dataDir, 'profiles.json');
  expect(existsSync(stored) ? readFileSync(stored, 'utf8') : '').not.toContain('b1');
});
