/**
 * A profile with a proxy set by hand and a saved password, opened in a tab: the tab's proxy
 * row shows the password as "saved in profile" with Replace and Clear, and neither the
 * Sign-in label nor its select lies over Clear (QA: "Cl▒Sign in"), at 1440 and 1024 px,
 * where the row wraps and each label goes with its field. A double click on the profile
 * opens one tab. The export's toast shows the file name on one line, in the window.
 * Screenshots: test-results/screenshots/proxy-saved-password-row-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { boxOf, overlaps } from './support/box-of';
import { openInspector, saveScreenshot } from './support/inspector';
import { openNewProfile } from './support/profile-dialog';
import { useWebHost } from './support/shared-web-host';

test.describe.configure({ mode: 'serial' });

const webHost = useWebHost();

function tabs(page: Page) {
  return page.getByRole('navigation', { name: 'Tabs' });
}

async function expectApart(a: Locator, b: Locator): Promise<void> {
  const boxA = await boxOf(a);
  const boxB = await boxOf(b);
  expect(overlaps(boxA, boxB), `${JSON.stringify(boxA)} and ${JSON.stringify(boxB)} overlap`).toBe(false);
}

test('a profile with a saved proxy password: Clear is not covered by Sign-in, and a double click opens one tab', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openInspector(page, webHost().url);
  const dialog = await openNewProfile(page, { name: 'Proxy alice', url: 'ws://127.0.0.1:1/feed', mode: 'manual' });
  await dialog.getByLabel('Address', { exact: true }).fill('http://127.0.0.1:3128');
  await dialog.getByLabel('Username', { exact: true }).fill('alice');
  await dialog.getByLabel('Password', { exact: true }).fill('pa55-word');
  await dialog.getByRole('button', { name: 'Save profile', exact: true }).click();
  await expect(dialog).toBeHidden();

  const item = page.getByRole('list', { name: 'Profiles', exact: true }).getByRole('button', { name: /^Proxy alice( |$)/ });
  await item.dblclick();
  await expect(tabs(page).getByRole('button', { name: /^Proxy alice/ })).toHaveCount(1);

  const clear = page.getByRole('button', { name: 'Clear proxy password', exact: true });
  const signInLabel = page.locator('label', { hasText: /^Sign-in$/ });
  const signIn = page.getByLabel('Sign-in', { exact: true });
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 800 });
    await expect(clear).toBeVisible();
    await expect(page.getByText('saved in profile')).toBeVisible();
    await expectApart(clear, signInLabel);
    await expectApart(clear, signIn);
    await expectApart(page.getByRole('button', { name: 'Replace proxy password', exact: true }), signInLabel);
    // The label stays with its select: on the same line, just before it.
    const label = await boxOf(signInLabel);
    const select = await boxOf(signIn);
    expect(Math.abs(label.y + label.height / 2 - (select.y + select.height / 2))).toBeLessThan(4);
    expect(label.x).toBeLessThan(select.x);
    await saveScreenshot(page, `proxy-saved-password-row-${width}`);
  }

  // The export's toast: the file name is laid out on one line, and the toast is in the window.
  for (const width of [1024, 1440]) {
    await page.setViewportSize({ width, height: 800 });
    await page.getByRole('button', { name: 'Actions for Proxy alice', exact: true }).click();
    await page.getByRole('menu', { name: 'Actions for Proxy alice' }).getByRole('menuitem', { name: 'Export…', exact: true }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('dialog').getByRole('button', { name: /^Export/ }).click();
    await download;
    const fileName = page.locator('.toast .file-name');
    await expect(fileName).toHaveText('Proxy-alice.tunnelscope.json');
    const lines = await fileName.evaluate((el) => el.getClientRects().length);
    expect(lines, 'the file name is on one line').toBe(1);
    const toast = await boxOf(page.locator('.toast'));
    const name = await boxOf(fileName);
    expect(name.x + name.width).toBeLessThanOrEqual(toast.x + toast.width);
    expect(toast.x + toast.width).toBeLessThanOrEqual(width);
    await saveScreenshot(page, `proxy-saved-password-row-export-toast-${width}`);
    await page.getByRole('button', { name: 'Dismiss the message', exact: true }).click();
  }
});
