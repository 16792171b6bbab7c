/**
 * profiles.json: one versioned JSON document in the data folder.
 *
 * - Read: read → parse → validate → migrate. A file that cannot be read, parsed or validated
 *   is moved aside to `profiles.json.corrupt-<timestamp>` and reported in plain words; the
 *   store starts empty (or with the profiles that could be read) and never writes over it.
 *   A file from a newer Tunnelscope is reported and left untouched: nothing is saved.
 * - Write: under a lock file (read-modify-write from the file on disk, so another process's
 *   change is never dropped), atomically (write-file-atomic: temp file, fsync, rename), 0600.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { formatBytes } from '../../shared/format-bytes';
import type { StoreNotice, TransferProblem } from '../../shared/profiles';
import {
  checksModes,
  describeError,
  ensurePrivateDir,
  errnoCode,
  fixWidePermissions,
  moveAside,
  PRIVATE_FILE_MODE,
} from '../secrets/private-file';
import { checkDataDir, DataDirError } from './data-dir';
import { withFileLock, LockPathError, LockTimeoutError, type LockOptions } from './file-lock';
import { describeJsonSyntaxError, parseJsonText } from './json-syntax';
import { readStoredDocument } from './migrations';
import { CURRENT_VERSION, emptyDocument, type StoredDocument } from './profile-schema';
import { ProfileError } from './profile-error';
import { SecretError } from '../secrets/secret-store';

const PROFILES_FILE_NAME = 'profiles.json';
/** Far more than any real list of profiles: a bigger file is not ours. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface ProfileStoreOptions {
  dataDir: string;
  lock?: LockOptions;
  now?: () => number;
  platform?: NodeJS.Platform;
  /** Whether the data folder belongs to this user (default: same uid); see checkDataDir. */
  isOurs?: (stat: fs.Stats) => boolean;
}

/** What is on disk, judged. */
type DiskState =
  | { kind: 'missing' }
  | { kind: 'ok'; doc: StoredDocument; migratedFrom?: number }
  /** Some profiles could not be read: set the file aside, keep the others. */
  | { kind: 'partial'; doc: StoredDocument; problems: TransferProblem[]; droppedCount: number; total: number }
  /** Nothing usable: set the file aside, start empty. `why` completes "profiles.json …". */
  | { kind: 'bad'; why: string }
  | { kind: 'newer'; version: number };

export class ProfileStore {
  readonly dataDir: string;
  readonly file: string;
  private readonly lockPath: string;
  private readonly now: () => number;
  private readonly platform: NodeJS.Platform;
  private readonly lockOptions: LockOptions;
  private readonly isOurs: ((stat: fs.Stats) => boolean) | undefined;
  /** In-process turn-taking; the lock file does the same between processes. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly noticeList: StoreNotice[] = [];
  private readOnly: string | undefined;
  private migrationNoticed = false;

  constructor(options: ProfileStoreOptions) {
    this.dataDir = path.resolve(options.dataDir);
    this.file = path.join(this.dataDir, PROFILES_FILE_NAME);
    this.lockPath = `${this.file}.lock`;
    this.now = options.now ?? Date.now;
    this.platform = options.platform ?? process.platform;
    this.lockOptions = options.lock ?? {};
    this.isOurs = options.isOurs;
  }

  /** The current profiles. A damaged file is set aside first (under the lock) and reported. */
  async read(): Promise<StoredDocument> {
    this.checkDataFolder();
    const state = this.inspect();
    if (state.kind === 'ok') return state.doc;
    if (state.kind === 'missing') return emptyDocument();
    if (state.kind === 'newer') {
      this.noteNewer(state.version);
      return emptyDocument();
    }
    // Repairing moves files: take turns like a write, and judge the file again once it is ours.
    return this.exclusive(async () => this.settle(this.inspect()));
  }

  /**
   * Read-modify-write under the lock: `change` gets the document as it is on disk now and
   * returns the new one (its revision is bumped here) and a value for the caller. A
   * ProfileError thrown by `change` leaves the file untouched.
   */
  async update<T>(change: (doc: StoredDocument) => { doc: StoredDocument; value: T }): Promise<T> {
    return this.exclusive(async () => {
      const state = this.inspect();
      if (state.kind === 'newer') {
        this.noteNewer(state.version);
        throw new ProfileError('FORBIDDEN', this.readOnly ?? 'profiles.json was written by a newer Tunnelscope');
      }
      const current = this.settle(state);
      if (this.readOnly) throw new ProfileError('STORAGE_ERROR', this.readOnly);
      const { doc, value } = change(current);
      this.removeLeftoverTempFiles();
      if (state.kind === 'ok' && state.migratedFrom !== undefined) this.keepOldVersion(state.migratedFrom);
      await this.write({ ...doc, version: CURRENT_VERSION, revision: current.revision + 1 });
      return value;
    });
  }

  notices(): StoreNotice[] {
    return [...this.noticeList];
  }

  /** Why nothing can be saved (a newer file, a file that could not be set aside), if so. */
  readOnlyReason(): string | undefined {
    return this.readOnly;
  }

  /** `profiles.json.corrupt-…` copies still in the data folder, newest last. */
  setAsideFiles(): string[] {
    try {
      return fs
        .readdirSync(this.dataDir)
        .filter((name) => name.startsWith(`${PROFILES_FILE_NAME}.corrupt-`))
        .sort()
        .map((name) => path.join(this.dataDir, name));
    } catch {
      return [];
    }
  }

  // -------------------------------------------------------------------------------------

  private async exclusive<T>(run: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      try {
        this.checkDataFolder();
        ensurePrivateDir(this.dataDir);
        return await withFileLock(this.lockPath, run, this.lockOptions);
      } catch (error) {
        if (error instanceof ProfileError || error instanceof SecretError) throw error;
        if (error instanceof LockTimeoutError) {
          throw new ProfileError('STORAGE_ERROR', `the profiles are being saved by another window or process (${error.message}); try again`);
        }
        if (error instanceof LockPathError) throw new ProfileError('STORAGE_ERROR', error.message);
        // A file-system failure (no permission, a file where the folder should be, a full disk).
        if (errnoCode(error).startsWith('E')) {
          throw new ProfileError('STORAGE_ERROR', `the data folder ${this.dataDir} cannot be used: ${describeError(error)}`);
        }
        throw error;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Refuses a data folder that is a file or that others may change (fixing it when it is ours, and saying so). */
  checkDataFolder(): void {
    try {
      const fixed = checkDataDir(this.dataDir, { platform: this.platform, ...(this.isOurs ? { isOurs: this.isOurs } : {}) });
      if (fixed) this.notice('permissions', fixed, this.dataDir);
    } catch (error) {
      if (error instanceof DataDirError) throw new ProfileError('STORAGE_ERROR', error.message);
      throw error;
    }
  }

  /** Reads and judges the file; never changes it (except making it private when it was not). */
  private inspect(): DiskState {
    let text: string;
    try {
      const size = fs.statSync(this.file).size;
      if (size > MAX_FILE_BYTES) return { kind: 'bad', why: `is ${formatBytes(size)}, far more than a list of profiles` };
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      // ENOTDIR: the data folder is not a folder; saving says so (exclusive), reading finds nothing.
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return { kind: 'missing' };
      return { kind: 'bad', why: `could not be read (${describeError(error)})` };
    }
    const fixed = fixWidePermissions(this.file, this.platform);
    if (fixed) this.notice('permissions', fixed, this.file);
    if (text.trim() === '') return { kind: 'bad', why: 'was empty' };

    const parsed = parseJsonText(text);
    if (!parsed.ok) return { kind: 'bad', why: `was not valid JSON (${describeJsonSyntaxError(parsed.error)})` };
    const read = readStoredDocument(parsed.value);
    if (read.kind === 'newer') return { kind: 'newer', version: read.version };
    if (read.kind === 'invalid') return { kind: 'bad', why: `is not a list of profiles Tunnelscope can read (${summarize(read.problems)})` };
    if (read.droppedCount > 0) {
      const total = read.doc.profiles.length + read.droppedCount;
      return { kind: 'partial', doc: read.doc, problems: read.problems, droppedCount: read.droppedCount, total };
    }
    if (read.migratedFrom !== undefined && !this.migrationNoticed) {
      this.migrationNoticed = true;
      this.notice('migrated', `profiles.json is in format ${read.migratedFrom}; it was read as format ${CURRENT_VERSION} and will be saved that way (a copy of the old file is kept).`);
    }
    return read.migratedFrom !== undefined ? { kind: 'ok', doc: read.doc, migratedFrom: read.migratedFrom } : { kind: 'ok', doc: read.doc };
  }

  /** Under the lock: sets a damaged file aside and returns what the store continues with. */
  private settle(state: DiskState): StoredDocument {
    if (state.kind === 'ok') return state.doc;
    if (state.kind === 'newer') this.noteNewer(state.version);
    if (state.kind === 'missing' || state.kind === 'newer') return emptyDocument();
    const aside = this.setAside(state.kind === 'bad' ? state.why : `had ${state.droppedCount} profile(s) that could not be read`);
    if (!aside) return emptyDocument();
    const asideName = path.basename(aside);
    if (state.kind === 'bad') {
      this.notice('set-aside', `profiles.json ${state.why}; it was kept as ${asideName} and a new empty list was started.`, aside);
      return emptyDocument();
    }
    this.notice(
      'salvaged',
      `${state.droppedCount} of ${state.total} profiles in profiles.json could not be read (${summarize(state.problems)}); ` +
        `the file was kept as ${asideName} and the other ${state.total - state.droppedCount} were loaded.`,
      aside,
    );
    // Written now, so the good profiles are in profiles.json again even if nothing else is saved.
    try {
      writeFileAtomic.sync(this.file, serialize(state.doc), { mode: PRIVATE_FILE_MODE });
    } catch (error) {
      this.readOnly = `the profiles that could be read could not be saved to profiles.json: ${describeError(error)}`;
    }
    return state.doc;
  }

  /** The new path, or undefined (and the store read-only) when the file could not be moved. */
  private setAside(why: string): string | undefined {
    try {
      return moveAside(this.file, 'corrupt', this.now());
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined; // someone else set it aside already
      this.readOnly =
        `profiles.json ${why} and could not be set aside (${describeError(error)}); ` +
        'nothing is saved until it is moved or fixed by hand, so that it is never overwritten.';
      this.notice('unusable', this.readOnly, this.file);
      return undefined;
    }
  }

  private noteNewer(version: number): void {
    if (this.readOnly) return;
    this.readOnly =
      `profiles.json was written by a newer version of Tunnelscope (format ${version}; this version reads up to ` +
      `${CURRENT_VERSION}). It was left untouched and nothing is saved: update Tunnelscope to see and change these profiles.`;
    this.notice('newer-version', this.readOnly, this.file);
  }

  /** Before the first write in the new format, a copy of the old one (for going back to an older Tunnelscope). */
  private keepOldVersion(version: number): void {
    const backup = `${this.file}.v${version}.bak`;
    try {
      fs.copyFileSync(this.file, backup, fs.constants.COPYFILE_EXCL);
      if (checksModes(this.platform)) fs.chmodSync(backup, PRIVATE_FILE_MODE);
    } catch {
      // Already kept by an earlier write (EEXIST), or not possible: the migration still goes on.
    }
  }

  /** write-file-atomic's temp files (`profiles.json.<number>`) left by a process that died mid-write. */
  private removeLeftoverTempFiles(): void {
    const pattern = new RegExp(`^${PROFILES_FILE_NAME.replace('.', '\\.')}\\.\\d+$`);
    let names: string[];
    try {
      names = fs.readdirSync(this.dataDir);
    } catch {
      return;
    }
    // We hold the lock, so no live writer owns one of these.
    for (const name of names) if (pattern.test(name)) fs.rmSync(path.join(this.dataDir, name), { force: true });
  }

  private async write(doc: StoredDocument): Promise<void> {
    try {
      await writeFileAtomic(this.file, serialize(doc), { mode: PRIVATE_FILE_MODE });
    } catch (error) {
      throw new ProfileError('STORAGE_ERROR', `the profiles could not be saved to ${this.file}: ${describeError(error)}`);
    }
  }

  private notice(kind: StoreNotice['kind'], message: string, file?: string): void {
    if (this.noticeList.some((notice) => notice.message === message)) return; // said once is enough
    this.noticeList.push(file === undefined ? { kind, message, at: this.now() } : { kind, message, file, at: this.now() });
  }
}

function serialize(doc: StoredDocument): string {
  // No environments, no field: a file without them reads the same in an older Tunnelscope.
  const { environments, ...rest } = doc;
  return `${JSON.stringify(environments.length > 0 ? doc : rest, null, 2)}\n`;
}

/** The first few problems, "where: what", for a one-line report. */
function summarize(problems: readonly TransferProblem[]): string {
  const shown = problems.slice(0, 3).map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message));
  const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
  return `${shown.join('; ')}${more}`;
}
