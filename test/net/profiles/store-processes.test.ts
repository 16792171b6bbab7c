/**
 * profiles.json shared by real processes: a writer killed between writing its temp file and
 * the rename leaves the old file intact (and the next writer cleans up after it); two
 * processes hammering the same file never tear it and never lose an update without a CONFLICT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProfileService } from '../../../src-main/core/profiles/profile-service';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { runCli, stopCliProcesses, type CliResult } from '../../support/cli-process';
import { makeTempDir, plainProfileInput, saveArg, valueOf } from '../../unit/profiles/profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;

/** The child script with this process's whole environment; 60 s before it counts as hung. */
function runChild(args: string[]): Promise<CliResult> {
  return runCli(args, { entry: 'test/net/profiles/store-child.ts', env: process.env, stdin: 'ignore', budgetMs: 60_000 });
}

beforeEach(() => (temp = makeTempDir()));
afterEach(async () => {
  await stopCliProcesses();
  temp.cleanup();
});

describe('a writer that dies between write and rename', () => {
  it('leaves the old profiles.json intact; the next writer takes the stale lock and removes the temp file', async () => {
    const file = path.join(temp.dir, 'profiles.json');
    const before = new ProfileService({ dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) });
    valueOf(await before.save(saveArg(plainProfileInput('Survivor'))));
    const original = fs.readFileSync(file);

    const run = await runChild(['crash', temp.dir]);
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).toContain('temp written');

    // The crash happened after the temp file was complete and before it replaced the old file.
    expect(fs.readFileSync(file).equals(original)).toBe(true);
    const temps = fs.readdirSync(temp.dir).filter((name) => /^profiles\.json\.\d+$/.test(name));
    expect(temps).toHaveLength(1);
    const written = fs.readFileSync(path.join(temp.dir, temps[0] ?? ''), 'utf8');
    expect(JSON.parse(written)).toMatchObject({ profiles: [{ name: 'Survivor' }, { name: 'Never saved' }] });
    expect(written).not.toContain('crash-secret');
    expect(fs.existsSync(`${file}.lock`)).toBe(true); // its holder is dead

    const after = new ProfileService({ dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir), lock: { timeoutMs: 2000 } });
    expect(valueOf(await after.list()).profiles.map((p) => p.name)).toEqual(['Survivor']);
    // The dead holder's lock is taken over, not waited out: waiting would end in the lock's timeout error.
    valueOf(await after.save(saveArg(plainProfileInput('Next'))));
    expect(valueOf(await after.list()).profiles.map((p) => p.name)).toEqual(['Survivor', 'Next']);
    expect(fs.readdirSync(temp.dir).filter((name) => /^profiles\.json\.\d+$/.test(name) || name.endsWith('.lock'))).toEqual([]);
  });
});

const hammerReport = z.object({ label: z.string(), ownId: z.string(), ownRevision: z.number(), conflicts: z.number(), sharedSuccesses: z.number() });

describe('two processes saving at once', () => {
  it('never tear the file and never lose an update without a CONFLICT', async () => {
    const iterations = 15;
    const service = new ProfileService({ dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) });
    const shared = valueOf(await service.save(saveArg(plainProfileInput('Shared'))));

    const runs = await Promise.all(['A', 'B'].map((label) => runChild(['hammer', temp.dir, label, String(iterations), shared.id])));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const reports = runs.map((run) => hammerReport.parse(JSON.parse(run.stdout.trim())));

    // The file parses and validates: never torn.
    const doc = z
      .object({ version: z.literal(2), revision: z.number(), profiles: z.array(z.object({ id: z.string(), revision: z.number(), savedMessages: z.array(z.object({ name: z.string() })) })) })
      .parse(JSON.parse(fs.readFileSync(path.join(temp.dir, 'profiles.json'), 'utf8')));

    // Every own update landed.
    for (const report of reports) {
      expect(report.ownRevision).toBe(iterations + 1);
      expect(doc.profiles.find((p) => p.id === report.ownId)?.revision).toBe(iterations + 1);
      expect(report.sharedSuccesses).toBe(iterations);
    }
    // Every successful shared update is there; the rest were reported as CONFLICT and redone.
    const sharedDoc = doc.profiles.find((p) => p.id === shared.id);
    const expectedNames = reports.flatMap((report) => Array.from({ length: iterations }, (_, i) => `${report.label}-${i + 1}`));
    expect(sharedDoc?.savedMessages.map((m) => m.name).sort()).toEqual(expectedNames.sort());
    expect(sharedDoc?.revision).toBe(1 + 2 * iterations);
    // Every write is counted: 1 (shared) + per process 1 create + iterations own + iterations shared.
    expect(doc.revision).toBe(1 + 2 * (1 + 2 * iterations));
    expect(fs.readdirSync(temp.dir).filter((name) => /^profiles\.json\.\d+$/.test(name) || name.endsWith('.lock'))).toEqual([]);
  });
});
