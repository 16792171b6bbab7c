/**
 * Where the web host and the CLI keep profiles: `--data-dir`, else `TUNNELSCOPE_DATA_DIR`,
 * else the OS's usual config folder. (Electron passes `app.getPath('userData')` itself.)
 */
import os from 'node:os';
import path from 'node:path';

export interface DataDirOptions {
  /** `--data-dir` from the command line. */
  flag?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  home?: string;
}

export function resolveDataDir(options: DataDirOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.flag !== undefined && options.flag.trim() !== '') return path.resolve(options.flag);
  const fromEnv = env.TUNNELSCOPE_DATA_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return path.resolve(fromEnv);
  const platform = options.platform ?? process.platform;
  const home = options.home ?? os.homedir();
  if (platform === 'win32') {
    const appData = env.APPDATA !== undefined && env.APPDATA !== '' ? env.APPDATA : path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Tunnelscope');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Tunnelscope');
  // XDG: only an absolute XDG_CONFIG_HOME counts (the spec says to ignore a relative one).
  const xdg = env.XDG_CONFIG_HOME;
  const config = xdg !== undefined && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
  return path.posix.join(config, 'tunnelscope');
}
