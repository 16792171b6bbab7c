/**
 * `tunnelscope intercept passthrough [list | add <pattern> | remove <pattern>]`: shows or
 * changes the data folder's passthrough list (intercept-passthrough.json), the hosts every
 * `tunnelscope intercept` run tunnels untouched. A damaged list is said, with the file and the
 * entry, and left as it is.
 */
import { PassthroughFileError, addPassthroughHost, passthroughFilePath, readPassthroughFile, removePassthroughHost } from '../core';
import { EXIT_FAILED, EXIT_OK, lineWriter, type CliIo } from './cli-io';
import type { InterceptPassthroughCommand } from './intercept-args';
import { printable } from './terminal-text';

export async function runInterceptPassthrough(command: InterceptPassthroughCommand, dataDir: string, io: CliIo): Promise<number> {
  const writer = lineWriter(io);
  const file = printable(passthroughFilePath(dataDir));
  try {
    const { change } = command;
    if (change.op === 'list') {
      const list = await readPassthroughFile(dataDir);
      for (const pattern of list.patterns) writer.out(printable(pattern.text));
      writer.err(list.patterns.length === 0 ? `The passthrough list (${file}) is empty.` : `${list.patterns.length} host pattern${list.patterns.length === 1 ? '' : 's'} in ${file}.`);
      return EXIT_OK;
    }
    if (change.op === 'add') {
      const { added, pattern } = await addPassthroughHost(dataDir, change.pattern);
      writer.err(added ? `Added ${printable(pattern.text)} to ${file}: its tunnels pass untouched from the next intercept run on.` : `${printable(pattern.text)} is in ${file} already.`);
      return EXIT_OK;
    }
    const removed = await removePassthroughHost(dataDir, change.pattern);
    writer.err(removed ? `Removed ${printable(change.pattern)} from ${file}.` : `${printable(change.pattern)} is not in ${file}; nothing changed.`);
    return EXIT_OK;
  } catch (error) {
    const message = error instanceof PassthroughFileError ? error.message : `the passthrough list could not be changed: ${error instanceof Error ? error.message : String(error)}`;
    writer.err(`tunnelscope: ${printable(message)}`);
    return EXIT_FAILED;
  }
}
