/**
 * Where Help → README leads: the project's homepage when package.json names one (opened in
 * the browser after the URL check), else the README.md shipped with the app.
 */
import { shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isSafeExternalUrl, openExternalSafely } from './security';

const packageJsonSchema = z.object({ homepage: z.string().optional() });

/** The homepage from the app's package.json, if it is a safe http(s) URL. */
function readHomepage(appPath: string): string | null {
  try {
    const parsed = packageJsonSchema.safeParse(JSON.parse(fs.readFileSync(path.join(appPath, 'package.json'), 'utf8')));
    const homepage = parsed.success ? parsed.data.homepage : undefined;
    return isSafeExternalUrl(homepage) ? homepage : null;
  } catch {
    return null;
  }
}

/** A function that opens the README, or null when there is none to open. */
export function readmeOpener(appPath: string): (() => void) | null {
  const homepage = readHomepage(appPath);
  if (homepage !== null) return () => void openExternalSafely(homepage);
  const readme = path.join(appPath, 'README.md');
  if (!fs.existsSync(readme)) return null;
  return () => {
    // Our own file, opened with the user's viewer for Markdown.
    void shell.openPath(readme).then((problem) => {
      if (problem !== '') console.warn(`tunnelscope: could not open the README: ${problem}`);
    });
  };
}
