/**
 * The global passthrough list, `intercept-passthrough.json` in the data folder:
 * `{ "version": 1, "hosts": ["*.bank.example", "10.0.0.5"] }`. No file: an empty list. A file
 * that is not JSON, has another shape, or holds a pattern that is not one is an error naming
 * the file and the entry (`hosts[2]`), never ignored: a host the user meant to keep undecrypted
 * would otherwise be intercepted without a word. Changes are read-modify-write under the
 * profiles' lock file (the app and the CLI may change it at once) and written atomically
 * (0600), each pattern once.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { checkDataDir } from '../profiles/data-dir';
import { LockPathError, LockTimeoutError, withFileLock } from '../profiles/file-lock';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, errnoCode } from '../secrets/private-file';
import { PassthroughList, parsePassthroughPattern, type PassthroughPattern } from './passthrough-hosts';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';

export const PASSTHROUGH_FILE_NAME = 'intercept-passthrough.json';

/** At most this many patterns: a list is typed by hand, not a block list. */
const MAX_PATTERNS = 1000;

const fileSchema = z.object({
  version: z.literal(1),
  hosts: z.array(z.string().max(300)).max(MAX_PATTERNS),
});

/** The list cannot be read or changed; the message names the file and the entry. */
export class PassthroughFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PassthroughFileError';
  }
}

export function passthroughFilePath(dataDir: string): string {
  return path.join(dataDir, PASSTHROUGH_FILE_NAME);
}

export async function readPassthroughFile(dataDir: string): Promise<PassthroughList> {
  const file = passthroughFilePath(dataDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return new PassthroughList([]);
    throw new PassthroughFileError(`the passthrough list ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parsePassthroughText(file, text);
}

/** The file's text as a list; `file` names it in the errors. */
export function parsePassthroughText(file: string, text: string): PassthroughList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PassthroughFileError(`the passthrough list ${file} is not JSON (${error instanceof Error ? error.message : String(error)}); it should read {"version": 1, "hosts": ["*.example.com"]}`);
  }
  const parsed = fileSchema.safeParse(json, PLAIN_ISSUE_WORDS);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '';
    throw new PassthroughFileError(`the passthrough list ${file} is not as expected (${where || 'the file'}: ${issue?.message ?? 'unexpected shape'}); it should read {"version": 1, "hosts": ["*.example.com"]}`);
  }
  const patterns: PassthroughPattern[] = [];
  parsed.data.hosts.forEach((host, i) => {
    const pattern = parsePassthroughPattern(host);
    if (!pattern.ok) throw new PassthroughFileError(`the passthrough list ${file}, hosts[${i}]: ${pattern.problem}`);
    patterns.push(pattern.pattern);
  });
  return new PassthroughList(patterns);
}

/** Adds a pattern (checked first); true when it was not there yet. */
export async function addPassthroughHost(dataDir: string, input: string): Promise<{ added: boolean; pattern: PassthroughPattern }> {
  const parsed = parsePassthroughPattern(input);
  if (!parsed.ok) throw new PassthroughFileError(`not added to the passthrough list: ${parsed.problem}`);
  return underLock(dataDir, async () => {
    const list = await readPassthroughFile(dataDir);
    const same = list.patterns.find((p) => p.kind === parsed.pattern.kind && p.value === parsed.pattern.value);
    if (same) return { added: false, pattern: same };
    if (list.patterns.length >= MAX_PATTERNS) throw new PassthroughFileError(`the passthrough list ${passthroughFilePath(dataDir)} already holds ${MAX_PATTERNS} patterns`);
    await write(dataDir, [...list.patterns.map((p) => p.text), parsed.pattern.text]);
    return { added: true, pattern: parsed.pattern };
  });
}

/** Removes the pattern that reads the same (`*.Example.com` = `*.example.com`); true when one was there. */
export async function removePassthroughHost(dataDir: string, input: string): Promise<boolean> {
  const parsed = parsePassthroughPattern(input);
  if (!parsed.ok) throw new PassthroughFileError(`not removed from the passthrough list: ${parsed.problem}`);
  return underLock(dataDir, async () => {
    const list = await readPassthroughFile(dataDir);
    const kept = list.patterns.filter((p) => !(p.kind === parsed.pattern.kind && p.value === parsed.pattern.value));
    if (kept.length === list.patterns.length) return false;
    await write(dataDir, kept.map((p) => p.text));
    return true;
  });
}

/** Read-modify-write of the list, one writer at a time across processes. */
async function underLock<T>(dataDir: string, run: () => Promise<T>): Promise<T> {
  checkDataDir(dataDir);
  await fs.mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const file = passthroughFilePath(dataDir);
  try {
    return await withFileLock(`${file}.lock`, run);
  } catch (error) {
    if (error instanceof LockTimeoutError || error instanceof LockPathError) throw new PassthroughFileError(`the passthrough list ${file} could not be changed: ${error.message}`);
    throw error;
  }
}

async function write(dataDir: string, hosts: readonly string[]): Promise<void> {
  await writeFileAtomic(passthroughFilePath(dataDir), `${JSON.stringify({ version: 1, hosts }, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
}
