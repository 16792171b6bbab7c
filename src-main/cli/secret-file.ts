/**
 * `@file` values of the flags that carry a secret (`--proxy-user @file`, `-H @file`,
 * `--var name=@file`): the secret
 * is read from a file so it never appears in the process list (`ps`, /proc/<pid>/cmdline), where
 * every user of the computer can read a command line. A pipe is read too, so
 * `--proxy-user @<(pass show proxy)` works; a terminal or another device is refused (it would
 * wait for typing that nobody was asked for).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { describeFsError } from './check-file';
import { fileProblem, type HelpTopic } from './usage-error';

/** Credentials and a few headers fit in far less; more is the wrong file. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** `@path` → path; anything else undefined (a value that is not a file reference). */
export function fileReference(value: string): string | undefined {
  return value.startsWith('@') ? value.slice(1) : undefined;
}

/**
 * The path to open: a leading `~` or `~/` is the home folder. The shell expands `~` only at the
 * start of a word, never after the `@`, so `--proxy-user @~/.config/proxy-user` reaches us as is.
 */
export function expandHome(file: string, home: string = os.homedir()): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return path.join(home, file.slice(2));
  return file;
}

/** The file's text, checked: a readable regular file or pipe, at most 64 KiB of UTF-8, not blank. Errors name the flag and the file. */
export function readSecretFile(flag: string, file: string, command: HelpTopic): string {
  // `--var name=` is followed by the @ at once; a flag by a space.
  const opened = expandHome(file);
  // The path tried is named when it is not the one typed (a `~` expanded).
  const typed = flag.endsWith('=') ? `${flag}@${file}` : `${flag} @${file}`;
  const where = opened === file ? typed : `${typed} (${opened})`;
  if (file === '') throw fileProblem(`${flag} @ needs a file name after the @ (e.g. ${flag} @$HOME/.config/proxy-user)`, command);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(opened);
  } catch (error) {
    throw fileProblem(`${where}: cannot read the file: ${describeFsError(error)}`, command);
  }
  if (stat.isDirectory()) throw fileProblem(`${where}: the file is a directory`, command);
  if (!stat.isFile() && !stat.isFIFO()) throw fileProblem(`${where}: not a regular file or a pipe (a terminal or a device is not read)`, command);
  if (stat.size > MAX_SECRET_FILE_BYTES) throw fileProblem(`${where}: the file is ${stat.size} bytes; at most ${MAX_SECRET_FILE_BYTES} are read`, command);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(opened);
  } catch (error) {
    throw fileProblem(`${where}: cannot read the file: ${describeFsError(error)}`, command);
  }
  if (bytes.length > MAX_SECRET_FILE_BYTES) throw fileProblem(`${where}: more than ${MAX_SECRET_FILE_BYTES} bytes came; at most ${MAX_SECRET_FILE_BYTES} are read`, command);
  if (!isUtf8(bytes)) throw fileProblem(`${where}: the file is not UTF-8 text`, command);
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw fileProblem(`${where}: the file is empty`, command);
  return text;
}

/** The one line of a file that holds `user:password` (the final newline, LF or CRLF, is not part of it). */
export function readOneLineSecretFile(flag: string, file: string, command: HelpTopic): string {
  const text = readSecretFile(flag, file, command).replace(/\r?\n$/, '');
  if (/[\r\n]/.test(text)) throw fileProblem(`${flag} @${file}: the file has more than one line; it must hold one line, user:password`, command);
  return text;
}
