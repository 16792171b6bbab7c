/**
 * Files the user asked for (a log, a profile export), written so that nothing planted at the
 * path can redirect them: a new file is created with O_CREAT|O_EXCL (which also refuses a
 * symbolic link, even a dangling one) and O_NOFOLLOW; a temporary file has an unpredictable
 * name; replacing renames over the path (a rename replaces a link, it never writes through it).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../secrets/private-file';

/** O_NOFOLLOW where the OS has it (not on Windows, which has no such links to plant). */
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const NEW_FILE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NO_FOLLOW;

export type OutputProblem = 'exists' | 'link' | 'folder' | 'not-a-file';

/** The path cannot be written as asked; `problem` says why (the CLI words its advice from it). */
export class OutputFileError extends Error {
  constructor(
    readonly problem: OutputProblem,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'OutputFileError';
  }
}

/** Creates `file`, which must not exist (a link there counts as existing); mode 0600 unless told. */
export function openNewFile(file: string, mode = 0o600): Promise<fs.promises.FileHandle> {
  return fs.promises.open(file, NEW_FILE_FLAGS, mode);
}

/** `.<name>.<random>.partial` beside `target`: same folder (so the rename is atomic), a name nobody can guess. */
export function temporaryPathBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(8).toString('hex')}.partial`);
}

/** Why `file` cannot be written (with `replace`, an existing regular file is fine), or undefined. */
export function outputProblem(file: string, replace: boolean): OutputFileError | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    // Missing (fine), or unreachable: the write itself then says why.
    return undefined;
  }
  if (stat.isSymbolicLink()) {
    return new OutputFileError('link', file, `${file} is a symbolic link; Tunnelscope never writes through a link: remove it or choose another file`);
  }
  if (stat.isDirectory()) return new OutputFileError('folder', file, `${file} is a folder, not a file`);
  if (!stat.isFile()) return new OutputFileError('not-a-file', file, `${file} is not a regular file`);
  if (!replace) return new OutputFileError('exists', file, `${file} already exists and was left as it is`);
  return undefined;
}

/**
 * Writes `text` to `target`. Without `replace` the file must be new (O_EXCL: nothing that
 * appears there meanwhile is overwritten either); with it, an existing regular file is
 * replaced through a temporary file and a rename. A link or a folder at `target` is never
 * written. Throws OutputFileError for those, and the file system's error otherwise (nothing
 * half-written is left behind).
 */
export async function writeOutputFile(target: string, text: string, options: { replace: boolean; mode?: number }): Promise<void> {
  const mode = options.mode ?? 0o600;
  const problem = outputProblem(target, options.replace);
  if (problem) throw problem;
  const file = options.replace ? temporaryPathBeside(target) : target;
  let handle: fs.promises.FileHandle;
  try {
    handle = await openNewFile(file, mode);
  } catch (error) {
    // Created (or linked) between the check and the open.
    if (errnoCode(error) === 'EEXIST' || errnoCode(error) === 'ELOOP') throw outputProblem(target, options.replace) ?? error;
    throw error;
  }
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.replace) await fs.promises.rename(file, target);
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    throw error;
  }
}
