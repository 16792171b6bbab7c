/**
 * Where a build's PAC worker is found: both builds emit pac-worker.js next to their entry
 * (out/main/index.js, out/node/cli.js); the code that starts it is bundled into the entry
 * itself or into a chunk one folder down (out/main/chunks/, out/node/assets/).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEntry, unpackedFromAsar } from '../../../src-main/core/proxy/pac-worker-start';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tunnelscope-pac-entry-'));
  for (const folder of ['main/chunks', 'node/assets', 'empty/assets']) await mkdir(join(dir, folder), { recursive: true });
  await writeFile(join(dir, 'main/pac-worker.js'), '');
  await writeFile(join(dir, 'node/pac-worker.js'), '');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('builtEntry', () => {
  it.each([
    ['bundled into the entry (out/main/index.js)', 'main/index.js', 'main/pac-worker.js'],
    ['bundled into a chunk (out/main/chunks/)', 'main/chunks/engine-abc.js', 'main/pac-worker.js'],
    ['bundled into an asset chunk (out/node/assets/)', 'node/assets/data-dir-abc.js', 'node/pac-worker.js'],
  ])('finds the worker when the starter is %s', (_name, starter, worker) => {
    expect(builtEntry(pathToFileURL(join(dir, starter)))).toEqual(pathToFileURL(join(dir, worker)));
  });

  it('says where it looked when the build did not emit the worker', () => {
    expect(() => builtEntry(pathToFileURL(join(dir, 'empty/assets/chunk.js')))).toThrow(
      `the PAC worker code is missing (looked for ${join(dir, 'empty/assets/pac-worker.js')} or ${join(dir, 'empty/pac-worker.js')})`,
    );
  });
});

describe('unpackedFromAsar', () => {
  it('uses the unpacked copy of a worker inside app.asar when it exists', () => {
    const inside = new URL('file:///opt/Tunnelscope/resources/app.asar/out/main/pac-worker.js');
    const unpacked = '/opt/Tunnelscope/resources/app.asar.unpacked/out/main/pac-worker.js';
    expect(unpackedFromAsar(inside, (path) => path === unpacked).href).toBe(`file://${unpacked}`);
    expect(unpackedFromAsar(inside, () => false)).toBe(inside);
  });

  it('leaves paths outside an archive alone', () => {
    const plain = new URL('file:///work/out/main/pac-worker.js');
    expect(unpackedFromAsar(plain, () => true)).toBe(plain);
  });
});
