/**
 * Driving the inspector UI by the accessible names the app promises (URL, Connect,
 * Disconnect, Send, Message, role status, grid "Frames", role alert), plus the state
 * screenshots saved as test artifacts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { repoRoot } from './web-host-process';

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

/** Saves `test-results/screenshots/<state>.png` (the whole page). */
export async function saveScreenshot(page: Page, state: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${state}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Opens the printed URL (the host moves the token into a cookie and redirects to `/`). */
export async function openInspector(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status(), 'the page with the token loads').toBe(200);
  await expect(page.getByLabel('URL', { exact: true })).toBeVisible();
}

export type ProxyChoice = { mode: 'auto' } | { mode: 'none' } | { mode: 'manual'; url: string };

export async function connect(page: Page, target: string, proxy: ProxyChoice = { mode: 'none' }): Promise<void> {
  await page.getByLabel('Proxy', { exact: true }).selectOption(proxy.mode);
  if (proxy.mode === 'manual') await page.getByLabel('Address', { exact: true }).fill(proxy.url);
  await page.getByLabel('URL', { exact: true }).fill(target);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

export function stateOf(page: Page) {
  return page.getByRole('status');
}

export function frames(page: Page) {
  return page.getByRole('grid', { name: 'Frames' });
}

export function errorPanel(page: Page) {
  return page.getByRole('alert');
}

/**
 * Sends a text message with the composer and waits for it to appear in the log both ways, as
 * `shownAs` when the log shows it otherwise (a credential in it is masked in the Preview column).
 */
export async function sendAndSeeEcho(page: Page, text: string, shownAs = text): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  // The echo server returns it: one row out, one row in.
  await expect(frames(page).getByRole('row').filter({ hasText: shownAs })).toHaveCount(2);
}
