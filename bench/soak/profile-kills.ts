/**
 * profiles.json under SIGKILL: a writer process saves one profile in a loop and is killed at
 * a random moment, 30 times. After each kill the file must parse and load with every profile
 * and a revision no older than the last one the writer reported; and the next writer must get
 * the lock (the dead writer's lock is stale) and save.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProfileService } from '../../src-main/core/profiles/profile-service';
import { KeyFileCipher } from '../../src-main/core/secrets/keyfile-cipher';
import { percentile, type SoakResult } from './soak-result';

const KILLS = 30;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = path.join(ROOT, 'bench/soak/profile-writer-child.ts');
const CHILD_BUDGET_MS = 60_000;

interface Run {
  /** The last revision the writer printed before it was killed. */
  lastRevision: number;
  /** ms from the writer's start to its first save (it had to take the dead writer's lock). */
  firstSaveMs: number;
  stderr: string;
  killed: boolean;
}

function runAndKill(dataDir: string, savesBeforeKill: number): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastRevision = -1;
    let firstSaveMs = Number.NaN;
    let saves = 0;
    let stderr = '';
    let pending = '';
    const budget = setTimeout(() => child.kill('SIGKILL'), CHILD_BUDGET_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        lastRevision = Number(line);
        saves += 1;
        if (saves === 1) firstSaveMs = performance.now() - started;
        // Kill in the middle of a later save: a random few microseconds into it.
        if (saves === savesBeforeKill) setImmediate(() => child.kill('SIGKILL'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('close', (_code, signal) => {
      clearTimeout(budget);
      resolve({ lastRevision, firstSaveMs, stderr, killed: signal === 'SIGKILL' });
    });
  });
}

export async function soakProfileKills(): Promise<SoakResult> {
  const name = `profiles.json with its writer killed (SIGKILL) ${KILLS} times`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-soak-profiles-'));
  fs.chmodSync(dataDir, 0o700);
  const figures: string[] = [];
  const problems: string[] = [];
  const lockWaits: number[] = [];
  try {
    for (let kill = 1; kill <= KILLS; kill++) {
      const run = await runAndKill(dataDir, 1 + Math.floor(Math.random() * 5));
      if (!run.killed) {
        problems.push(`kill ${kill}: the writer ended on its own: ${run.stderr.trim().slice(0, 300)}`);
        continue;
      }
      if (kill > 1) lockWaits.push(run.firstSaveMs);
      let text = '';
      try {
        text = fs.readFileSync(path.join(dataDir, 'profiles.json'), 'utf8');
        JSON.parse(text);
      } catch (error) {
        problems.push(`kill ${kill}: profiles.json is torn: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const service = new ProfileService({ dataDir, cipher: KeyFileCipher.open(dataDir) });
      const listed = await service.list();
      if (!listed.ok) {
        problems.push(`kill ${kill}: the profiles do not load: ${listed.error.message}`);
        continue;
      }
      const profile = listed.value.profiles[0];
      if (!profile) problems.push(`kill ${kill}: the profile is gone`);
      else if (profile.revision < run.lastRevision) problems.push(`kill ${kill}: revision ${profile.revision} is older than the ${run.lastRevision} the writer saved`);
    }
    const leftovers = fs.readdirSync(dataDir).filter((entry) => entry !== 'profiles.json' && entry !== 'secret.key' && !entry.endsWith('.lock'));
    figures.push(`${KILLS} kills: the file parsed and loaded after ${KILLS - problems.length}`);
    figures.push(`a new writer's first save after a kill (start-up, stale lock taken, save): median ${percentile(lockWaits, 50).toFixed(0)} ms, max ${Math.max(...lockWaits).toFixed(0)} ms`);
    figures.push(`files left in the data folder besides profiles.json, the key and the lock: ${leftovers.length === 0 ? 'none' : leftovers.join(', ')}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { name, figures, problems };
}
