/**
 * Where the Electron runtime binary is, without `require('electron')` (which, in the
 * `electron` package, tries to download the binary on first use).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const electronPackageDir = path.join(root, 'node_modules', 'electron');

/** The absolute path of the Electron executable, or null when the runtime is not installed. */
export function findElectronRuntime() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    return fs.existsSync(candidate) ? candidate : null;
  }
  try {
    const relative = fs.readFileSync(path.join(electronPackageDir, 'path.txt'), 'utf8').trim();
    const executable = path.join(electronPackageDir, 'dist', relative);
    return fs.existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}
