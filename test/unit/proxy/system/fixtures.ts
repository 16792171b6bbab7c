// Reads the recorded outputs beside this file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GsettingsGet } from '../../../../src-main/core/proxy/system/gnome-settings';

export const FIXTURES = join(__dirname, 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/**
 * `gsettings get` answers from a recorded `gsettings list-recursively org.gnome.system.proxy`
 * (lines "<schema> <key> <value>"); a key not in the recording fails like gsettings does.
 */
export function recordedGsettings(listing: string, asked: string[] = []): GsettingsGet {
  const values = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const match = /^(\S+) (\S+) (.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) values.set(`${match[1]} ${match[2]}`, match[3]);
  }
  return async (schema, key) => {
    asked.push(`${schema} ${key}`);
    const value = values.get(`${schema} ${key}`);
    if (value === undefined) throw new Error(`No such key “${key}”`);
    return `${value}\n`;
  };
}
