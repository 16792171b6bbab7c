/**
 * The profile lock with lock files written by hand and fake time: a dead holder, a reused pid
 * or a lock from another host never blocks saves for long; a live, touching holder is waited
 * for; a folder at the lock path is a clear error that leaves nothing behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LockPathError, LockTimeoutError, systemProcesses, withFileLock, type ProcessProbe } from '../../../src-main/core/profiles/file-lock';
import { ProfileStore } from '../../../src-main/core/profiles/profile-store';
import { makeTempDir } from './profile-fixtures';

const HOST = 'this-host';
const OTHER_PID = 424242;

let temp: ReturnType<typeof makeTempDir>;
let lockPath: string;

beforeEach(() => {
  temp = makeTempDir('tunnelscope-lock-');
  lockPath = path.join(temp.dir, 'profiles.json.lock');
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
  temp.cleanup();
});

/** Other processes as the test says they are. */
function probe(alive: boolean, started?: string): ProcessProbe {
  return { alive: (pid) => pid === process.pid || alive, started: (pid) => (pid === process.pid ? 'me' : started) };
}

function writeLock(content: Record<string, unknown>): void {
  fs.writeFileSync(lockPath, JSON.stringify(content));
  const at = Date.now() / 1000;
  fs.utimesSync(lockPath, at, at); // as written "now" on the fake clock
}

/** Runs a locked no-op; resolves to 'ran' or the error it failed with. */
function lockedRun(options: Parameters<typeof withFileLock>[2]): Promise<unknown> {
  return withFileLock(lockPath, async () => 'ran', { host: HOST, ...options }).catch((error: unknown) => error);
}

function settled(promise: Promise<unknown>): { done: boolean; value: unknown } {
  const state = { done: false, value: undefined as unknown };
  void promise.then((value) => {
    state.done = true;
    state.value = value;
  });
  return state;
}

describe('taking over a lock', () => {
  it('takes a lock whose process is gone at once', async () => {
    writeLock({ pid: OTHER_PID, host: HOST, token: 'dead', at: Date.now(), started: '100' });
    expect(await lockedRun({ processes: probe(false), timeoutMs: 0 })).toBe('ran');
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('takes a lock whose pid is alive but belongs to another process now (start time differs) at once', async () => {
    writeLock({ pid: OTHER_PID, host: HOST, token: 'reused', at: Date.now(), started: '100' });
    expect(await lockedRun({ processes: probe(true, '999'), timeoutMs: 0 })).toBe('ran');
    expect(fs.readdirSync(temp.dir)).toEqual([]);
  });

  it('takes a lock from another host once it has not been touched for 5 s, not after 30 s', async () => {
    writeLock({ pid: OTHER_PID, host: 'other-host', token: 'far', at: Date.now() });
    const run = settled(lockedRun({ processes: probe(true, '100'), timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(4000);
    expect(run.done).toBe(false);
    await vi.advanceTimersByTimeAsync(2000);
    expect(run).toEqual({ done: true, value: 'ran' });
  });

  it('takes a hand-written lock of a live process that is not a Tunnelscope (no start time) once it stays untouched', async () => {
    writeLock({ pid: OTHER_PID, host: HOST, token: 'hand-made', at: Date.now() });
    const run = settled(lockedRun({ processes: probe(true, undefined), timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(6000);
    expect(run).toEqual({ done: true, value: 'ran' });
  });

  it('waits for a live holder that keeps touching its lock, and gives up at its deadline naming it', async () => {
    writeLock({ pid: OTHER_PID, host: HOST, token: 'live', at: Date.now(), started: '100' });
    const keepAlive = setInterval(() => fs.utimesSync(lockPath, Date.now() / 1000, Date.now() / 1000), 1000);
    const run = settled(lockedRun({ processes: probe(true, '100'), timeoutMs: 20_000 }));
    await vi.advanceTimersByTimeAsync(19_000);
    expect(run.done).toBe(false);
    await vi.advanceTimersByTimeAsync(2000);
    clearInterval(keepAlive);
    expect(run.done).toBe(true);
    expect(run.value).toBeInstanceOf(LockTimeoutError);
    expect((run.value as Error).message).toContain(`process ${OTHER_PID} on ${HOST}`);
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8'))).toMatchObject({ token: 'live' });
  });

  it('touches its own lock while it holds it, so others do not take it over', async () => {
    let release = (): void => undefined;
    const holding = withFileLock(lockPath, () => new Promise<void>((resolve) => (release = resolve)), { host: HOST, processes: probe(true) });
    await vi.advanceTimersByTimeAsync(0);
    // Another process with the same view of the world: it must keep waiting while we work.
    const other = settled(lockedRunAsOtherProcess());
    await vi.advanceTimersByTimeAsync(12_000);
    expect(other.done).toBe(false);
    release();
    await holding;
    await vi.advanceTimersByTimeAsync(200);
    expect(other).toEqual({ done: true, value: 'ran' });
  });
});

/** A second "process": its lock content is someone else's, so this one's token is not held here. */
function lockedRunAsOtherProcess(): Promise<unknown> {
  // Another pid on the same host whose process is alive with the same start time as recorded.
  const content = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number; started?: string };
  fs.writeFileSync(lockPath, JSON.stringify({ ...content, pid: OTHER_PID }));
  return lockedRun({ processes: probe(true, content.started), timeoutMs: 60_000 });
}

describe('a lock path that is not a file', () => {
  it('says the lock path is a folder and leaves nothing behind', async () => {
    fs.mkdirSync(lockPath);
    const error = await lockedRun({ timeoutMs: 60_000 });
    expect(error).toBeInstanceOf(LockPathError);
    expect((error as Error).message).toBe(`the lock file ${lockPath} is a folder, so the profiles cannot be locked for saving; remove it and try again`);
    expect(fs.readdirSync(temp.dir)).toEqual(['profiles.json.lock']);
    expect(fs.statSync(lockPath).isDirectory()).toBe(true);
  });

  it('reaches a save as STORAGE_ERROR with the same words, and profiles.json is not written', async () => {
    fs.mkdirSync(lockPath);
    const store = new ProfileStore({ dataDir: temp.dir });
    await expect(store.update((doc) => ({ doc, value: undefined }))).rejects.toMatchObject({
      code: 'STORAGE_ERROR',
      message: expect.stringContaining('is a folder, so the profiles cannot be locked'),
    });
    expect(fs.readdirSync(temp.dir)).toEqual(['profiles.json.lock']);
  });
});

describe('the process probe', () => {
  it('knows this process is alive and, on Linux, tells its start time apart from its parent', () => {
    expect(systemProcesses.alive(process.pid)).toBe(true);
    if (process.platform !== 'linux') return;
    const own = systemProcesses.started(process.pid);
    expect(own).toMatch(/^\d+$/);
    expect(systemProcesses.started(process.pid)).toBe(own);
  });

  it('says a pid that does not exist is not alive and has no start time', () => {
    expect(systemProcesses.alive(2 ** 22 + 12345)).toBe(false);
    expect(systemProcesses.started(2 ** 22 + 12345)).toBeUndefined();
  });
});
