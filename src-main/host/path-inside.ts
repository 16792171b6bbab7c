/**
 * The one rule both UI hosts use before serving a file: is this path strictly inside that
 * folder? It is a check on the names only; a symbolic link is the caller's part (both resolve
 * the folder and the file with realpath and ask again), since the file may not exist yet.
 */
import path from 'node:path';

/**
 * True when `candidate` lies below `folder` (the folder itself is not inside). A name that only
 * starts with two dots (`..cache`) is inside; `..` as a whole segment, another drive or another
 * root is not.
 */
export function isPathInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
