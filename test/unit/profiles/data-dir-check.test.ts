/**
 * The data folder is checked before profiles or keys are kept in it: a group/world-writable
 * folder of ours is made 0700 and that is said; one of another user is refused in plain words
 * (the tests run as root, so "another user" comes from the injectable owner check); a file
 * where the folder should be is an error, never "no profiles".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDataDir, dataDirFlagProblem, DataDirError } from '../../../src-main/core/profiles/data-dir';
import { ProfileService } from '../../../src-main/core/profiles/profile-service';
import { ProfileStore } from '../../../src-main/core/profiles/profile-store';
import { fullProfileInput, makeTempDir, saveArg } from './profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
let dir: string;
const notOurs = (): boolean => false;

beforeEach(() => {
  temp = makeTempDir('tunnelscope-datadir-');
  dir = path.join(temp.dir, 'data');
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o777);
});
afterEach(() => temp.cleanup());

function mode(): number {
  return fs.statSync(dir).mode & 0o777;
}

describe.skipIf(process.platform === 'win32')('a data folder others can write to', () => {
  it('is made private (0700) when it is ours, and that is said', () => {
    expect(checkDataDir(dir, { isOurs: () => true })).toBe(`The data folder ${dir} could be changed by other users (mode 0777); it was changed to 0700 (only you).`);
    expect(mode()).toBe(0o700);
    expect(checkDataDir(dir, { isOurs: () => true })).toBeUndefined();
  });

  it('is refused, untouched, when it belongs to another user', () => {
    let caught: unknown;
    try {
      checkDataDir(dir, { isOurs: notOurs });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataDirError);
    expect((caught as DataDirError).problem).toBe('unsafe');
    expect((caught as Error).message).toContain(`the data folder ${dir} can be changed by other users (mode 0777) and belongs to another user`);
    expect((caught as Error).message).toContain('chmod 700');
    expect(mode()).toBe(0o777);
  });

  it('is refused for a group-writable folder too (0770), and a 0755 one is fine as it is', () => {
    fs.chmodSync(dir, 0o770);
    expect(() => checkDataDir(dir, { isOurs: notOurs })).toThrow('(mode 0770)');
    fs.chmodSync(dir, 0o755);
    expect(checkDataDir(dir, { isOurs: notOurs })).toBeUndefined();
  });

  it('with the real owner check: a folder this user made is ours', () => {
    expect(checkDataDir(dir)).toContain('it was changed to 0700');
    expect(mode()).toBe(0o700);
  });

  it('the store reports the fix as a notice naming the folder, and saves', async () => {
    const store = new ProfileStore({ dataDir: dir, isOurs: () => true });
    await store.update((doc) => ({ doc, value: undefined }));
    expect(store.notices()).toEqual([expect.objectContaining({ kind: 'permissions', file: dir, message: expect.stringContaining('changed to 0700') })]);
    expect(mode()).toBe(0o700);
  });

  it('the store refuses to read or save in a folder of another user, writing nothing', async () => {
    const store = new ProfileStore({ dataDir: dir, isOurs: notOurs });
    await expect(store.read()).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: expect.stringContaining('belongs to another user') });
    await expect(store.update((doc) => ({ doc, value: undefined }))).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe.skipIf(process.platform === 'win32')('no key file in a folder of another user', () => {
  it('a save with a secret is refused before the key file is created there', async () => {
    const profiles = new ProfileService({ dataDir: dir, env: { TUNNELSCOPE_SECRET_STORE: 'keyfile' }, isOurs: notOurs });
    const result = await profiles.save(saveArg(fullProfileInput()));
    expect(result).toMatchObject({ ok: false, error: { code: 'STORAGE_ERROR', message: expect.stringContaining('belongs to another user') } });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('an import with secrets is refused before the key file is created there', async () => {
    const profiles = new ProfileService({ dataDir: dir, env: { TUNNELSCOPE_SECRET_STORE: 'keyfile' }, isOurs: notOurs });
    const text = JSON.stringify({
      format: 'tunnelscope-profiles',
      version: 2,
      profiles: [{ name: 'a', url: 'wss://a.test/', headers: [{ name: 'Authorization', secret: true, value: 'Bearer x' }], proxy: { mode: 'none' }, tls: {} }],
    });
    const result = await profiles.importText(text);
    expect(JSON.stringify(result)).toContain('belongs to another user');
    expect(result).toMatchObject({ ok: true, value: { imported: [] } });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('a file where the data folder should be', () => {
  it('is a DataDirError that names it', () => {
    const file = path.join(temp.dir, 'file');
    fs.writeFileSync(file, 'x');
    expect(() => checkDataDir(file)).toThrow(`the data folder ${file} is a file, not a folder`);
    expect(() => checkDataDir(path.join(file, 'below'))).toThrow('is inside a file, not a folder');
  });

  it('is a problem of the --data-dir flag; a missing folder is not (it is created)', () => {
    const file = path.join(temp.dir, 'file');
    fs.writeFileSync(file, 'x');
    expect(dataDirFlagProblem(file)).toBe(`--data-dir: ${file} is a file, not a folder`);
    expect(dataDirFlagProblem(path.join(temp.dir, 'new-folder'))).toBeUndefined();
    expect(dataDirFlagProblem(dir)).toBeUndefined();
  });
});
