/**
 * `connect --export <file>`: a folder or a symbolic link at the path is refused before
 * connecting (the link's target is never written); an existing file is fine (it is replaced).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-export-target-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function connectWithExport(target: string): unknown {
  return parseCommandLine(['connect', 'ws://127.0.0.1:1/', '--no-proxy', '--export', target]);
}

describe('connect --export target', () => {
  it('refuses a symbolic link at the path, naming it', () => {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    const link = path.join(dir, 'log.har');
    fs.symlinkSync(victim, link);
    expect(() => connectWithExport(link)).toThrow(`--export: ${link} is a symbolic link; Tunnelscope never writes through a link`);
  });

  it('refuses a folder named like a log file', () => {
    const folder = path.join(dir, 'log.ndjson');
    fs.mkdirSync(folder);
    expect(() => connectWithExport(folder)).toThrow(`--export: ${folder} is a folder, not a file`);
  });

  it('accepts an existing file (it is replaced at the end) and a new one', () => {
    const existing = path.join(dir, 'old.ndjson');
    fs.writeFileSync(existing, 'old');
    expect(connectWithExport(existing)).toMatchObject({ exportLog: { path: existing, format: 'ndjson' } });
    expect(connectWithExport(path.join(dir, 'new.har'))).toMatchObject({ exportLog: { format: 'har' } });
  });
});
