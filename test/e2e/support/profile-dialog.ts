/** The profile editor as the e2e specs fill it: New profile, then name, URL and proxy mode. */
import { type Locator, type Page } from '@playwright/test';

export interface NewProfile {
  name: string;
  url: string;
  mode: 'none' | 'manual' | 'auto';
}

/** Opens New profile and fills its first fields; returns the dialog, still open. */
export async function openNewProfile(page: Page, profile: NewProfile): Promise<Locator> {
  await page.getByRole('button', { name: 'New profile', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(profile.name);
  await dialog.getByLabel('URL', { exact: true }).fill(profile.url);
  await dialog.getByLabel('Mode', { exact: true }).selectOption(profile.mode);
  return dialog;
}

/** Adds one header row per name, typing each name as a user does (so its secret box is ticked as typed). */
export async function addHeaders(dialog: Locator, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await dialog.getByRole('button', { name: '+ Add header', exact: true }).click();
    const row = (await dialog.getByLabel(/^Header \d+ name$/).count()).toString();
    await dialog.getByLabel(`Header ${row} name`, { exact: true }).pressSequentially(name);
  }
}

