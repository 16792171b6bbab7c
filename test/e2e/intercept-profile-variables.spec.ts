/**
 * The Intercept page with a profile whose way out holds a {{variable}} its environment does not
 * define: switching on is refused before anything listens, with connect --profile's words beside
 * the profile. The data folder is prepared by an engine in a Node process of its own (an environment "Corp
 * net" without proxyHost, a profile "Corp" with the manual proxy http://{{proxyHost}}:3128), then
 * the web host runs on it in Chromium. Screenshot: test-results/screenshots/intercept-profile-variable-missing.png.
 */
import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { openInspector, saveScreenshot } from './support/inspector';
import { makeDataDir, removeDataDir, repoRoot, startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let host: WebHostProcess;
let dataDir: string;

/**
 * Run by Node with tsx in a process of its own (the engine's modules do not load in
 * Playwright's test runner): the environment and the profile, saved through the engine's commands.
 */
const PREPARE = `
const { Engine } = await import('./src-main/core/engine.ts');
const engine = new Engine({ host: 'cli', version: 'e2e', env: { TUNNELSCOPE_SECRET_STORE: 'keyfile' }, profiles: { dataDir: process.argv[1] } });
const environment = await engine.call('environments:save', { environment: { name: 'Corp net', variables: [{ name: 'user', secret: false, value: 'ann' }] } });
if (!environment.ok) throw new Error(environment.error.message);
const saved = await engine.call('profiles:save', {
  profile: { name: 'Corp', url: 'wss://corp.example/socket', proxy: { mode: 'manual', url: 'http://{{proxyHost}}:3128' }, tls: {}, environmentId: environment.value.id },
});
if (!saved.ok) throw new Error(saved.error.message);
await engine.dispose();
`;

test.beforeAll(async () => {
  dataDir = makeDataDir();
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PREPARE, dataDir], { cwd: repoRoot, stdio: 'inherit' });
  host = await startWebHostProcess({ dataDir });
});

test.afterAll(async () => {
  await host?.stop();
  if (dataDir) removeDataDir(dataDir);
});

test('switching on with a profile whose proxy URL needs a variable its environment lacks: refused, naming it, nothing listens', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openInspector(page, host.url);
  await page.getByTestId('intercept-entry').click();
  await page.getByTestId('intercept-profile').selectOption({ label: 'Corp' });
  await page.getByLabel('port', { exact: true }).fill('0');
  const toggle = page.getByRole('switch');
  await toggle.click();
  await expect(page.getByTestId('intercept-problem')).toHaveText('profileId: the proxy URL: {{proxyHost}} is not defined in the environment "Corp net"; nothing was sent');
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('intercept-entry')).toContainText('off');
  await saveScreenshot(page, 'intercept-profile-variable-missing');
});
