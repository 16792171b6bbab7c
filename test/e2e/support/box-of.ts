/** A laid-out element's box, or a clear error naming the locator when it has none. */
import type { Locator } from '@playwright/test';

export async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} is not laid out`);
  return box;
}
