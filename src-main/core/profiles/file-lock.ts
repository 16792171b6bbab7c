/**
 * A lock file around read-modify-write, so two windows or processes saving at once take
 * turns instead of one silently dropping the other's change. The lock is a file created with
 * O_EXCL holding `{ pid, host, token, at, started }` (`started`: the holder's process start
 * time, where the OS tells it). While held, its holder touches it every second.
 *
 * A lock is stale, and taken over, when:
 * - its process is gone, or its pid now belongs to another process (pid reuse: the start time
 *   differs) — at once;
 * - it has not been touched for `staleMs` (default 5 s) — a lock from another host, or from a
 *   live process that is not a Tunnelscope holding it (a hand-made file, a pid reused where
 *   the start time cannot be read), never blocks saves for long.
 * A stale lock is moved away and checked before being removed, so a fresh lock taken by
 * someone else in the meantime is never deleted by mistake. A lock path that is not a file
 * (a folder) is an error that says so; nothing is created or moved.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import { errnoCode, PRIVATE_FILE_MODE } from '../secrets/private-file';
import { systemClock, type Clock } from '../net/clock';

/** What the lock needs to know of other processes (tests fake it). */
export interface ProcessProbe {
  /** Whether a process with this pid exists (any user's). */
  alive(pid: number): boolean;
  /** An id of the process's start (Linux: its start time in clock ticks), or undefined when unknown. */
  started(pid: number): string | undefined;
}

export interface LockOptions {
  /** Give up waiting after this long (default 10 s). */
  timeoutMs?: number;
  /** A lock not touched for this long is stale whoever holds it (default 5 s; holders touch it every second). */
  staleMs?: number;
  clock?: Clock;
  processes?: ProcessProbe;
  /** This machine's name as locks record it (default os.hostname()). */
  host?: string;
}

/** How often a holder touches its lock. */
const TOUCH_EVERY_MS = 1000;

/** The lock could not be taken in time: another process holds it. */
export class LockTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockTimeoutError';
  }
}

/** The lock path cannot be a lock (a folder is there): waiting will not help. */
export class LockPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockPathError';
  }
}

const lockContentSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  token: z.string(),
  at: z.number(),
  started: z.string().optional(),
});
type LockContent = z.infer<typeof lockContentSchema>;
type Holder = LockContent | 'missing' | 'unreadable';

/** Tokens of the locks this process holds now (two stores in one process may share a file). */
const heldHere = new Set<string>();

export async function withFileLock<T>(lockPath: string, run: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const clock = options.clock ?? systemClock;
  const token = await acquire(lockPath, options, clock);
  // Keeps the lock fresh, so waiting processes can tell a working holder from a stuck one.
  const touch = clock.setInterval(() => touchLock(lockPath, clock.now()), TOUCH_EVERY_MS);
  touch.unref();
  try {
    return await run();
  } finally {
    clock.clearInterval(touch);
    release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: LockOptions, clock: Clock): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 5000;
  const processes = options.processes ?? systemProcesses;
  const host = options.host ?? os.hostname();
  const started = clock.now();
  const own = processes.started(process.pid);
  const content: LockContent = {
    pid: process.pid,
    host,
    token: randomBytes(12).toString('hex'),
    at: started,
    ...(own !== undefined ? { started: own } : {}),
  };
  let wait = 5;
  for (;;) {
    if (tryCreate(lockPath, { ...content, at: clock.now() })) {
      heldHere.add(content.token);
      return content.token;
    }
    checkIsFile(lockPath);
    const holder = readLock(lockPath);
    if (holder !== 'missing' && isStale(holder, lockPath, { staleMs, processes, host, now: clock.now() })) {
      removeStale(lockPath, holder);
      continue;
    }
    if (clock.now() - started >= timeoutMs) {
      const who = holder !== 'missing' && holder !== 'unreadable' ? ` by process ${holder.pid} on ${holder.host}` : '';
      throw new LockTimeoutError(`${lockPath} is held${who} and was not released within ${timeoutMs} ms`);
    }
    // Jitter so two waiting processes do not retry in lockstep.
    await new Promise<void>((resolve) => clock.setTimeout(resolve, wait + Math.random() * wait));
    wait = Math.min(wait * 2, 100);
  }
}

function tryCreate(lockPath: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify(content));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** A folder (or anything but a file) at the lock path is never ours to move: say so. */
function checkIsFile(lockPath: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(lockPath);
  } catch {
    return; // gone meanwhile: the next try creates it
  }
  if (stat.isFile()) return;
  const what = stat.isDirectory() ? 'a folder' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
  throw new LockPathError(`the lock file ${lockPath} is ${what}, so the profiles cannot be locked for saving; remove it and try again`);
}

/** The holder, 'missing' when the lock went away, 'unreadable' while it is being written (or garbage). */
function readLock(lockPath: string): Holder {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    return errnoCode(error) === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const parsed = lockContentSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** When the lock was last shown to be alive: written (`at`) or touched (mtime). */
function lastSignOfLife(lockPath: string, at: number): number | undefined {
  try {
    return Math.max(at, fs.statSync(lockPath).mtimeMs);
  } catch {
    return undefined;
  }
}

interface Judge {
  staleMs: number;
  processes: ProcessProbe;
  host: string;
  now: number;
}

function isStale(holder: LockContent | 'unreadable', lockPath: string, judge: Judge): boolean {
  if (holder === 'unreadable') {
    // Empty for a moment while its creator writes it; stale only when it stays that way.
    const seen = lastSignOfLife(lockPath, 0);
    return seen !== undefined && judge.now - seen > Math.min(judge.staleMs, 2000);
  }
  if (holder.host === judge.host) {
    if (holder.pid === process.pid) return !heldHere.has(holder.token); // left by an earlier process with our pid
    if (!judge.processes.alive(holder.pid)) return true;
    const started = judge.processes.started(holder.pid);
    if (holder.started !== undefined && started !== undefined && started !== holder.started) return true; // pid reused
  }
  const seen = lastSignOfLife(lockPath, holder.at);
  return seen !== undefined && judge.now - seen > judge.staleMs;
}

/** The real processes of this machine. */
export const systemProcesses: ProcessProbe = {
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return errnoCode(error) === 'EPERM'; // alive, but another user's
    }
  },
  started(pid) {
    if (process.platform !== 'linux') return undefined;
    try {
      // Field 22 (starttime); the command name (field 2) may hold spaces and parentheses.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    } catch {
      return undefined;
    }
  },
};

function touchLock(lockPath: string, now: number): void {
  try {
    fs.utimesSync(lockPath, now / 1000, now / 1000);
  } catch {
    // Gone or taken over: release finds out.
  }
}

/**
 * Moves the stale lock aside, then checks it is the one judged stale: if a fresh lock was
 * moved by mistake (taken between the check and the move), it is put back.
 */
function removeStale(lockPath: string, judged: LockContent | 'unreadable'): void {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = readLock(aside);
  const same = judged === 'unreadable' ? moved === 'unreadable' : moved !== 'missing' && moved !== 'unreadable' && moved.token === judged.token;
  if (!same) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // A third process has locked meanwhile; the moved holder will find its lock gone on release.
    }
  }
  fs.rmSync(aside, { force: true });
}

function release(lockPath: string, token: string): void {
  heldHere.delete(token);
  const holder = readLock(lockPath);
  // Only our own lock: if it was judged stale and taken over, the new holder's stays.
  if (holder !== 'missing' && holder !== 'unreadable' && holder.token === token) fs.rmSync(lockPath, { force: true });
}
