/**
 * `--send-file <path>` and `--send-binary-file <path>`: a message whose content is a file, sent
 * exactly as it is (no built-ins replaced). This is how a command line sends what an argument
 * cannot carry: a STOMP frame with its closing NUL, several lines in one message, raw bytes.
 */
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { describeFsError } from './check-file';
import { UsageError } from './usage-error';

/** The engine takes text of up to 200 MiB in one send; a file of a message is far smaller. */
export const MAX_MESSAGE_FILE_BYTES = 64 * 1024 * 1024;

export type MessageFileKind = 'text' | 'binary';

/** The file's content: text (checked to be UTF-8) or base64 of its bytes; a usage error names the file and what is wrong. */
export function readMessageFile(file: string, kind: MessageFileKind): string {
  const flag = kind === 'text' ? '--send-file' : '--send-binary-file';
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new UsageError(`${flag}: cannot read "${file}": ${describeFsError(error)}`, 'connect');
  }
  if (stat.isDirectory()) throw new UsageError(`${flag}: "${file}" is a directory, not a file`, 'connect');
  if (stat.size > MAX_MESSAGE_FILE_BYTES) {
    throw new UsageError(`${flag}: "${file}" is ${stat.size} bytes; one message may be at most ${MAX_MESSAGE_FILE_BYTES} bytes`, 'connect');
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`${flag}: cannot read "${file}": ${describeFsError(error)}`, 'connect');
  }
  if (kind === 'binary') return bytes.toString('base64');
  if (!isUtf8(bytes)) {
    throw new UsageError(`${flag}: "${file}" is not UTF-8 text (a text message must be); send its bytes with --send-binary-file`, 'connect');
  }
  return bytes.toString('utf8');
}
