/**
 * Output files never go through a planted link: a log export's temporary file has an
 * unguessable name and is created with O_EXCL; an output file is new unless replacing was
 * asked for, and a link or folder at its path is refused (the link's target stays unchanged).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportToFile } from '../../../src-main/core/export/export-session';
import { OutputFileError, temporaryPathBeside, writeOutputFile } from '../../../src-main/core/export/output-file';
import { fixtureSession } from './log-fixture';

let dir: string;
let victim: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-output-'));
  victim = path.join(dir, 'victim.txt');
  fs.writeFileSync(victim, 'keep me');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function refusal(run: Promise<unknown>): Promise<OutputFileError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof OutputFileError)) throw new Error(`expected an OutputFileError, got ${String(error)}`);
  return error;
}

describe('the log export (connect --export)', () => {
  it('does not write through a link planted at the temporary name the export used to use', async () => {
    const target = path.join(dir, 'log.ndjson');
    fs.symlinkSync(victim, `${target}.${process.pid}.partial`);
    const written = await exportToFile(fixtureSession(), { format: 'ndjson', version: '1.0.0' }, target);
    expect(written.frames).toBeGreaterThan(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    expect(fs.readFileSync(target, 'utf8')).toContain('"type"');
  });

  it('uses a temporary name beside the target that nobody can guess', () => {
    const target = path.join(dir, 'log.har');
    const first = temporaryPathBeside(target);
    const second = temporaryPathBeside(target);
    expect(path.dirname(first)).toBe(dir);
    expect(first).not.toBe(second);
    expect(path.basename(first)).toMatch(/^\.log\.har\.[0-9a-f]{16}\.partial$/);
  });

  it('leaves no temporary file behind', async () => {
    const target = path.join(dir, 'log.har');
    await exportToFile(fixtureSession(), { format: 'har', version: '1.0.0' }, target);
    expect(fs.readdirSync(dir).sort()).toEqual(['log.har', 'victim.txt']);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });
});

describe('writeOutputFile', () => {
  it('writes a new file, private', async () => {
    const target = path.join(dir, 'out.json');
    await writeOutputFile(target, '{"a":1}\n', { replace: false });
    expect(fs.readFileSync(target, 'utf8')).toBe('{"a":1}\n');
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing file unless told to replace it', async () => {
    const error = await refusal(writeOutputFile(victim, 'new', { replace: false }));
    expect(error.problem).toBe('exists');
    expect(error.message).toBe(`${victim} already exists and was left as it is`);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('replaces an existing file when told to, through a rename (nothing else left in the folder)', async () => {
    await writeOutputFile(victim, 'new', { replace: true });
    expect(fs.readFileSync(victim, 'utf8')).toBe('new');
    expect(fs.statSync(victim).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['victim.txt']);
  });

  it.each([false, true])('never writes through a link at the path (replace: %s); the link target is unchanged', async (replace) => {
    const link = path.join(dir, 'out.json');
    fs.symlinkSync(victim, link);
    const error = await refusal(writeOutputFile(link, 'secret', { replace }));
    expect(error.problem).toBe('link');
    expect(error.message).toContain('is a symbolic link; Tunnelscope never writes through a link');
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a dangling link too (it would create the file it points to)', async () => {
    const link = path.join(dir, 'out.json');
    const pointed = path.join(dir, 'created-elsewhere.json');
    fs.symlinkSync(pointed, link);
    expect((await refusal(writeOutputFile(link, 'secret', { replace: false }))).problem).toBe('link');
    expect(fs.existsSync(pointed)).toBe(false);
  });

  it('refuses a folder at the path', async () => {
    const folder = path.join(dir, 'out.json');
    fs.mkdirSync(folder);
    const error = await refusal(writeOutputFile(folder, 'x', { replace: true }));
    expect(error.problem).toBe('folder');
    expect(error.message).toBe(`${folder} is a folder, not a file`);
  });

  it('passes on a missing folder as the file system error, writing nothing', async () => {
    await expect(writeOutputFile(path.join(dir, 'missing', 'out.json'), 'x', { replace: false })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(fs.readdirSync(dir)).toEqual(['victim.txt']);
  });
});
