/**
 * The run's build of the CLI and the web host (test/support/build-node-entries.global.ts) is what
 * the spawning tests get from nodeEntryArgs (test/support/node-entry.ts) in `vitest run`, and it
 * runs as the built CLI does: its version from the install root's package.json. Other entries,
 * and a spawn asked to run from the sources, go through tsx.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NODE_BUILD_ENV, nodeEntryArgs } from '../../support/node-entry';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

function rootVersion(): unknown {
  const parsed: unknown = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : undefined;
}

// Watch mode builds nothing (a build would go stale as sources change).
describe.skipIf(process.env.VITEST_MODE === 'WATCH')('the run’s build of the Node entries', () => {
  it('is what the CLI and the web host are spawned from, and each file exists', () => {
    const buildDir = process.env[NODE_BUILD_ENV];
    expect(buildDir).toBeTruthy();
    for (const [entry, built] of [
      ['src-main/cli/index.ts', 'out/node/cli.js'],
      [path.join(ROOT, 'src-main/web/main.ts'), 'out/node/web.js'],
    ] as const) {
      const args = nodeEntryArgs(entry);
      expect(args).toEqual([path.join(buildDir ?? '', built)]);
      expect(existsSync(args[0] ?? '')).toBe(true);
    }
    // The PAC worker, which the built CLI starts from next to it.
    expect(existsSync(path.join(buildDir ?? '', 'out/node/pac-worker.js'))).toBe(true);
  });

  it('runs as the built CLI: --version prints the package version', async () => {
    const { stdout } = await run(process.execPath, [...nodeEntryArgs('src-main/cli/index.ts'), '--version'], { cwd: ROOT });
    expect(stdout.trim()).toContain(String(rootVersion()));
  });
});

describe('through tsx', () => {
  it('when asked to run from the sources, and for every other entry', () => {
    expect(nodeEntryArgs('src-main/cli/index.ts', { fromSources: true })).toEqual(['--import', 'tsx', path.join(ROOT, 'src-main/cli/index.ts')]);
    expect(nodeEntryArgs('test/net/profiles/store-child.ts')).toEqual(['--import', 'tsx', path.join(ROOT, 'test/net/profiles/store-child.ts')]);
  });
});
