/**
 * A lock file around read-modify-write, so two windows or processes saving at once take
 * turns instead of one silently dropping the other's change. The lock is a file created with
 * O_EXCL holding `{ pid, host, token, at }`. A lock whose process is gone (same host) or that
 * is older than `staleMs` is stale: it is moved away and checked before being removed, so a
 * fresh lock taken by someone else in the meantime is never deleted by mistake.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import { errnoCode, PRIVATE_FILE_MODE } from '../secrets/private-file';

export interface LockOptions {
  /** Give up waiting after this long (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is stale whoever holds it (default 30 s; a write takes milliseconds). */
  staleMs?: number;
}

/** The lock could not be taken in time: another process holds it. */
export class LockTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockTimeoutError';
  }
}

const lockContentSchema = z.object({ pid: z.number().int(), host: z.string(), token: z.string(), at: z.number() });
type LockContent = z.infer<typeof lockContentSchema>;

/** Tokens of the locks this process holds now (two stores in one process may share a file). */
const heldHere = new Set<string>();

export async function withFileLock<T>(lockPath: string, run: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await run();
  } finally {
    release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const started = Date.now();
  const content: LockContent = { pid: process.pid, host: os.hostname(), token: randomBytes(12).toString('hex'), at: Date.now() };
  let wait = 5;
  for (;;) {
    if (tryCreate(lockPath, content)) {
      heldHere.add(content.token);
      return content.token;
    }
    const holder = readLock(lockPath);
    if (holder !== 'missing' && isStale(holder, lockPath, staleMs)) {
      removeStale(lockPath, holder);
      continue;
    }
    if (Date.now() - started >= timeoutMs) {
      const who = holder !== 'missing' && holder !== 'unreadable' ? ` by process ${holder.pid} on ${holder.host}` : '';
      throw new LockTimeoutError(`${lockPath} is held${who} and was not released within ${timeoutMs} ms`);
    }
    // Jitter so two waiting processes do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
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
    fs.writeSync(fd, JSON.stringify({ ...content, at: Date.now() }));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** The holder, 'missing' when the lock went away, 'unreadable' while it is being written (or garbage). */
function readLock(lockPath: string): LockContent | 'missing' | 'unreadable' {
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

function isStale(holder: LockContent | 'unreadable', lockPath: string, staleMs: number): boolean {
  if (holder === 'unreadable') {
    // Empty for a moment while its creator writes it; stale only when it stays that way.
    try {
      return Date.now() - fs.statSync(lockPath).mtimeMs > Math.min(staleMs, 2000);
    } catch {
      return false;
    }
  }
  if (Date.now() - holder.at > staleMs) return true;
  if (holder.host !== os.hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(holder.token); // left by an earlier process with our pid
  return !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM'; // alive, but another user's
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
