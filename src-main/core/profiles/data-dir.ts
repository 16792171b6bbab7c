/**
 * Where the web host and the CLI keep profiles: `--data-dir`, else `TUNNELSCOPE_DATA_DIR`,
 * else the OS's usual config folder (Electron passes `app.getPath('userData')` itself), and
 * whether that folder is safe to keep them in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checksModes, errnoCode, PRIVATE_DIR_MODE } from '../secrets/private-file';

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

/** The data folder cannot be used as it is; the message says why and what to do. */
export class DataDirError extends Error {
  constructor(
    readonly problem: 'not-a-folder' | 'unsafe',
    message: string,
  ) {
    super(message);
    this.name = 'DataDirError';
  }
}

export interface DataDirCheckOptions {
  platform?: NodeJS.Platform;
  /** Whether the folder belongs to the user running Tunnelscope (default: same uid; tests fake it, they run as root). */
  isOurs?: (stat: fs.Stats) => boolean;
}

/**
 * Checks the data folder before profiles and keys are kept in it: a file where the folder
 * should be, or a folder other users can write to (they could swap profiles.json or the key
 * file), is refused. A group/world-writable folder that is ours is made private (0700) and
 * that is said (the returned sentence). A missing folder is fine: it is created private.
 */
export function checkDataDir(dir: string, options: DataDirCheckOptions = {}): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    if (errnoCode(error) === 'ENOTDIR') throw new DataDirError('not-a-folder', `the data folder ${dir} is inside a file, not a folder`);
    throw error;
  }
  if (!stat.isDirectory()) throw new DataDirError('not-a-folder', `the data folder ${dir} is a file, not a folder; choose a folder with --data-dir`);
  if (!checksModes(options.platform)) return undefined;
  const mode = stat.mode & 0o777;
  if ((mode & 0o022) === 0) return undefined;
  const was = mode.toString(8).padStart(4, '0');
  const isOurs = options.isOurs ?? ((s: fs.Stats) => typeof process.getuid !== 'function' || s.uid === process.getuid());
  if (!isOurs(stat)) {
    throw new DataDirError(
      'unsafe',
      `the data folder ${dir} can be changed by other users (mode ${was}) and belongs to another user, so Tunnelscope will not keep profiles ` +
        'or keys in it: make it private (chmod 700) as its owner, or choose another folder with --data-dir',
    );
  }
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
  return `The data folder ${dir} could be changed by other users (mode ${was}); it was changed to 0700 (only you).`;
}

/** For a `--data-dir` flag: a file there is the user's mistake, said before anything runs. */
export function dataDirFlagProblem(dir: string): string | undefined {
  try {
    if (!fs.statSync(dir).isDirectory()) return `--data-dir: ${dir} is a file, not a folder`;
  } catch (error) {
    if (errnoCode(error) === 'ENOTDIR') return `--data-dir: ${dir} is inside a file, not a folder`;
  }
  return undefined;
}
