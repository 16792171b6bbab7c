/**
 * profiles.json on disk: damaged files are set aside (byte for byte) and reported in plain
 * words, a newer format is never overwritten, permissions are fixed, leftovers of a crashed
 * writer are cleaned up, and the lock file is taken over only when its holder is gone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProfileStore } from '../../../src-main/core/profiles/profile-store';
import { ProfileService } from '../../../src-main/core/profiles/profile-service';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { errorOf, makeTempDir, plainProfileInput, saveArg, valueOf } from './profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
let file: string;
const FIXED_NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const ASIDE = 'profiles.json.corrupt-2025-01-02T03-04-05-678Z';

beforeEach(() => {
  temp = makeTempDir();
  file = path.join(temp.dir, 'profiles.json');
});
afterEach(() => temp.cleanup());

function service(options: { lockTimeoutMs?: number } = {}): ProfileService {
  return new ProfileService({
    dataDir: temp.dir,
    cipher: KeyFileCipher.open(temp.dir),
    now: () => FIXED_NOW,
    ...(options.lockTimeoutMs !== undefined ? { lock: { timeoutMs: options.lockTimeoutMs } } : {}),
  });
}

function validDoc(): string {
  const profile = {
    id: 'p1',
    revision: 4,
    createdAt: 1,
    updatedAt: 2,
    name: 'Kept',
    url: 'ws://127.0.0.1:9/',
    proxy: { mode: 'none' },
    tls: {},
  };
  return JSON.stringify({ version: 2, revision: 7, profiles: [profile] }, null, 2);
}

describe('a damaged profiles.json', () => {
  it.each([
    ['not valid JSON', '{\n  "version": 2,\n  "profiles": [,]\n}\n', "was not valid JSON (line 3, column 16: expected a value, found ',')"],
    ['empty', '', 'was empty'],
    ['truncated mid-write', validDoc().slice(0, 120), 'was not valid JSON (line'],
    ['not a profile list', '{"hello": "world"}', 'is not a list of profiles Tunnelscope can read (version: the format version is missing; profiles: there is no list of profiles)'],
    ['a JSON array', '[1, 2]', 'is not a list of profiles Tunnelscope can read (the file does not hold a JSON object)'],
  ])('(%s) is set aside byte for byte, reported, and the store starts empty', async (_label, content, words) => {
    fs.writeFileSync(file, content);
    const profiles = service();
    expect(valueOf(await profiles.list()).profiles).toEqual([]);

    const aside = path.join(temp.dir, ASIDE);
    expect(fs.readFileSync(aside, 'utf8')).toBe(content);
    expect(fs.existsSync(file)).toBe(false);
    const status = valueOf(await profiles.status());
    const notice = status.notices.find((n) => n.kind === 'set-aside');
    expect(notice?.message).toContain(`profiles.json ${words}`);
    expect(notice?.message).toContain(`it was kept as ${ASIDE} and a new empty list was started`);
    expect(status.setAsideFiles).toEqual([aside]);

    // The app goes on: a save starts a new file and leaves the set-aside copy alone.
    valueOf(await profiles.save(saveArg(plainProfileInput('Fresh'))));
    expect(fs.readFileSync(aside, 'utf8')).toBe(content);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ version: 2, revision: 1, profiles: [{ name: 'Fresh' }] });
  });

  it('keeps the profiles that can be read when only some are broken, and says which were not', async () => {
    const broken = { id: 'p2', revision: 1, createdAt: 1, updatedAt: 1, name: 'Broken', url: 'http://x/', proxy: { mode: 'none' }, tls: {} };
    const original = validDoc().replace(/\n  \]\n\}$/, `,\n${JSON.stringify(broken)}\n  ]\n}`);
    fs.writeFileSync(file, original);
    const profiles = service();
    expect(valueOf(await profiles.list()).profiles.map((p) => p.name)).toEqual(['Kept']);
    expect(fs.readFileSync(path.join(temp.dir, ASIDE), 'utf8')).toBe(original);
    const notice = valueOf(await profiles.status()).notices.find((n) => n.kind === 'salvaged');
    expect(notice?.message).toContain('1 of 2 profiles in profiles.json could not be read (profiles[1].url: the URL must start with ws://');
    expect(notice?.message).toContain('the other 1 were loaded');
    // The good profile is in profiles.json again, as it was.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ revision: 7, profiles: [{ id: 'p1', revision: 4 }] });
  });
});

describe('a profiles.json from a newer Tunnelscope', () => {
  it('is reported and never overwritten', async () => {
    const newer = JSON.stringify({ version: 3, revision: 1, profiles: [{ id: 'x', shinyNewField: true }] });
    fs.writeFileSync(file, newer);
    const profiles = service();
    expect(valueOf(await profiles.list()).profiles).toEqual([]);
    const refused = errorOf(await profiles.save(saveArg(plainProfileInput('x'))));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('newer version of Tunnelscope (format 3; this version reads up to 2)');
    expect(fs.readFileSync(file, 'utf8')).toBe(newer);
    const status = valueOf(await profiles.status());
    expect(status.readOnly).toContain('left untouched');
    expect(status.setAsideFiles).toEqual([]);
  });
});

describe('permissions', () => {
  it.skipIf(process.platform === 'win32')('a profiles.json readable by others is made 0600 and the change reported', async () => {
    fs.writeFileSync(file, validDoc(), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const profiles = service();
    expect(valueOf(await profiles.list()).profiles).toHaveLength(1);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const notice = valueOf(await profiles.status()).notices.find((n) => n.kind === 'permissions');
    expect(notice?.message).toBe('profiles.json could be read by other users (mode 0644); it was changed to 0600 (only you).');
  });

  it.skipIf(process.platform === 'win32')('a new data folder is private and profiles.json is written 0600', async () => {
    const nested = path.join(temp.dir, 'a', 'b');
    const store = new ProfileStore({ dataDir: nested });
    await store.update((doc) => ({ doc, value: undefined }));
    expect(fs.statSync(nested).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(nested, 'profiles.json')).mode & 0o777).toBe(0o600);
  });
});

describe('a data folder that cannot be used', () => {
  it('answers STORAGE_ERROR in plain words when the folder is a file: a list says so too, never "no profiles"', async () => {
    const notAFolder = path.join(temp.dir, 'plain-file');
    fs.writeFileSync(notAFolder, 'x');
    const profiles = new ProfileService({ dataDir: notAFolder, cipher: KeyFileCipher.open(temp.dir) });
    const listed = errorOf(await profiles.list());
    expect(listed.code).toBe('STORAGE_ERROR');
    expect(listed.message).toContain(`the data folder ${notAFolder} is a file, not a folder`);
    const error = errorOf(await profiles.save(saveArg(plainProfileInput('x'))));
    expect(error.code).toBe('STORAGE_ERROR');
    expect(error.message).toContain(`the data folder ${notAFolder} is a file, not a folder`);
    expect(fs.readFileSync(notAFolder, 'utf8')).toBe('x');
  });
});

describe('the lock file and a crashed writer', () => {
  it('removes write-file-atomic temp files left by a writer that died before its rename', async () => {
    fs.writeFileSync(file, validDoc());
    const leftover = path.join(temp.dir, 'profiles.json.3735928559');
    fs.writeFileSync(leftover, '{"half": ');
    const store = new ProfileStore({ dataDir: temp.dir });
    await store.update((doc) => ({ doc, value: undefined }));
    expect(fs.existsSync(leftover)).toBe(false);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ revision: 8 });
  });

  it('takes over a lock whose process is gone, without waiting', async () => {
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), token: 'dead', at: Date.now() }));
    // No time to wait at all: only an at-once take-over can succeed.
    const store = new ProfileStore({ dataDir: temp.dir, lock: { timeoutMs: 0 } });
    await store.update((doc) => ({ doc, value: undefined }));
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a live holder and gives up with STORAGE_ERROR within its deadline', async () => {
    // Held by a process that is alive (our parent) on this host, as another window's would be.
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), token: 'live', at: Date.now() }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    try {
      const profiles = service({ lockTimeoutMs: 3000 });
      let settled = false;
      const renaming = profiles.rename('p1', 'x', undefined).finally(() => (settled = true));
      const started = Date.now();
      // Fake time, a little at a time: the deadline passes on the fake clock, before the 5 s staleness.
      // (setImmediate is real: it lets file-system work finish before the lock starts waiting.)
      while (!settled && Date.now() - started < 4500) {
        if (vi.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
        else await vi.advanceTimersByTimeAsync(250);
      }
      expect(settled).toBe(true);
      const error = errorOf(await renaming);
      expect(error.code).toBe('STORAGE_ERROR');
      expect(error.message).toContain('being saved by another window or process');
      expect(error.message).toContain(`process ${process.ppid}`);
      expect(error.message).toContain('was not released within 3000 ms');
      expect(fs.existsSync(`${file}.lock`)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
