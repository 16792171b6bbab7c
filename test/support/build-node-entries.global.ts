/**
 * Vitest globalSetup of the node project: builds the command line and the web host once per run
 * (vite.node.config.ts, the build `npm run build` makes for out/node and the `tunnelscope` bin
 * runs) into a folder of this run's own, and names it in TUNNELSCOPE_TEST_NODE_BUILD for the
 * test workers (node-entry.ts). A spawn of that build costs ~0.4 s of CPU where the same CLI
 * through tsx costs ~1.7 s, and the suite spawns it well over a hundred times.
 *
 * The folder is a small install root: out/node/ under a package.json with the name, version and
 * module type, so the CLI's and the web host's version lookups find what they find in a build;
 * packages resolve from the repository's node_modules, which holds the folder. Each run has its
 * own (several runs may go at once); teardown removes it, and a setup removes those left by runs
 * that were killed. In watch mode nothing is built: a build would go stale as sources change,
 * and the tests spawn the sources through tsx instead.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { NODE_BUILD_ENV } from './node-entry';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE = path.join(ROOT, 'node_modules', '.cache');
const PREFIX = 'tunnelscope-test-build-';

/** True while `pid` runs. */
function runs(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

function removeLeftovers(): void {
  let names: string[];
  try {
    names = readdirSync(CACHE);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(PREFIX.length));
    if (name.startsWith(PREFIX) && Number.isInteger(pid) && pid > 0 && !runs(pid)) rmSync(path.join(CACHE, name), { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (project.vitest.config.watch) return undefined;
  removeLeftovers();
  const dir = path.join(CACHE, `${PREFIX}${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const parsed: unknown = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const version = typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string' ? parsed.version : '0.0.0';
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'tunnelscope', version, type: 'module', private: true })}\n`);
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    await build({
      configFile: path.join(ROOT, 'vite.node.config.ts'),
      root: ROOT,
      logLevel: 'warn',
      build: { outDir: path.join(dir, 'out', 'node'), emptyOutDir: true },
    });
  } catch (error) {
    // Sources that do not build fail the tests that spawn them (through tsx), not the whole run.
    console.warn(`build-node-entries: the build failed, spawns go through tsx: ${error instanceof Error ? error.message : String(error)}`);
    removeDir();
    return undefined;
  }
  process.env[NODE_BUILD_ENV] = dir;
  return () => {
    delete process.env[NODE_BUILD_ENV];
    removeDir();
  };
}
