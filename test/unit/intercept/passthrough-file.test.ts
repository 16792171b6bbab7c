import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PASSTHROUGH_FILE_NAME,
  PassthroughFileError,
  addPassthroughHost,
  readPassthroughFile,
  removePassthroughHost,
} from '../../../src-main/core/intercept/passthrough-file';

let dataDir: string;
let file: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-passthrough-'));
  file = path.join(dataDir, PASSTHROUGH_FILE_NAME);
});

afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function readError(): Promise<string> {
  try {
    await readPassthroughFile(dataDir);
  } catch (error) {
    if (error instanceof PassthroughFileError) return error.message;
    throw error;
  }
  throw new Error('the list was read');
}

describe('the passthrough list file', () => {
  it('no file: an empty list, and nothing is written by reading', async () => {
    expect((await readPassthroughFile(dataDir)).patterns).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('add and remove: each pattern once, kept as written, the file 0600 and readable back', async () => {
    expect((await addPassthroughHost(dataDir, '*.Bank.example')).added).toBe(true);
    expect((await addPassthroughHost(dataDir, '10.0.0.5')).added).toBe(true);
    const again = await addPassthroughHost(dataDir, '*.bank.example');
    expect(again).toMatchObject({ added: false, pattern: { text: '*.Bank.example' } });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 1, hosts: ['*.Bank.example', '10.0.0.5'] });
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await readPassthroughFile(dataDir)).match('login.bank.example')?.text).toBe('*.Bank.example');
    expect(await removePassthroughHost(dataDir, '*.bank.EXAMPLE')).toBe(true);
    expect(await removePassthroughHost(dataDir, 'never.example')).toBe(false);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 1, hosts: ['10.0.0.5'] });
  });

  it('changes made at once all land (each under the lock file), and the lock is gone after', async () => {
    const hosts = Array.from({ length: 8 }, (_, i) => `host${i}.example`);
    await Promise.all(hosts.map((host) => addPassthroughHost(dataDir, host)));
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { hosts: string[] }).hosts.sort()).toEqual([...hosts].sort());
    await Promise.all(hosts.slice(0, 4).map((host) => removePassthroughHost(dataDir, host)));
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { hosts: string[] }).hosts.sort()).toEqual(hosts.slice(4).sort());
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('a lock path that cannot be a lock (a folder) is an error naming the list, and nothing is written', async () => {
    fs.mkdirSync(`${file}.lock`);
    await expect(addPassthroughHost(dataDir, 'a.example')).rejects.toThrow(/the passthrough list .* could not be changed: /);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('a pattern that is not one is refused before the file is touched', async () => {
    await expect(addPassthroughHost(dataDir, 'https://x.example/')).rejects.toThrow(/not added to the passthrough list: "https:\/\/x.example\/" is a URL/);
    await expect(removePassthroughHost(dataDir, 'a:1')).rejects.toThrow(/not removed from the passthrough list: .*has a port/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('a damaged file is an error naming it and what is wrong, and is left as it is', async () => {
    fs.writeFileSync(file, '{"version": 1, "hosts": ["a.example",');
    expect(await readError()).toMatch(new RegExp(`the passthrough list ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON`));
    await expect(addPassthroughHost(dataDir, 'b.example')).rejects.toThrow(/is not JSON/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version": 1, "hosts": ["a.example",');

    fs.writeFileSync(file, JSON.stringify({ version: 2, hosts: [] }));
    expect(await readError()).toMatch(/is not as expected \(version: /);
    fs.writeFileSync(file, JSON.stringify({ version: 1, hosts: ['a.example', 7] }));
    expect(await readError()).toMatch(/is not as expected \(hosts\[1\]: /);
    fs.writeFileSync(file, JSON.stringify({ version: 1, hosts: ['a.example', 'ok.example', 'bad host'] }));
    expect(await readError()).toMatch(/hosts\[2\]: "bad host" is not a host/);
  });

  it('a data folder that is a file: the error says so', async () => {
    const notAFolder = path.join(dataDir, 'plain-file');
    fs.writeFileSync(notAFolder, 'x');
    await expect(readPassthroughFile(notAFolder)).rejects.toThrow(/cannot be read/);
  });
});
