/**
 * How a test runs one of our Node entry points as a process: the run's build of it when
 * build-node-entries.global.ts made one (out/node/cli.js, out/node/web.js), else the sources
 * through tsx (`--import tsx`, as `npm run cli` does). Other entries (a test's own child script)
 * always go through tsx.
 */
import path from 'node:path';

/** Set by the globalSetup to the run's build folder (it holds out/node/). */
export const NODE_BUILD_ENV = 'TUNNELSCOPE_TEST_NODE_BUILD';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Source entry (from the repository's root) → its file in the build. */
const BUILT: ReadonlyMap<string, string> = new Map([
  ['src-main/cli/index.ts', 'out/node/cli.js'],
  ['src-main/web/main.ts', 'out/node/web.js'],
]);

/**
 * The arguments to node for `entry` (absolute, or from the repository's root).
 * `fromSources`: through tsx even when there is a build.
 */
export function nodeEntryArgs(entry: string, options: { fromSources?: boolean } = {}): string[] {
  const absolute = path.resolve(ROOT, entry);
  const built = BUILT.get(path.relative(ROOT, absolute).split(path.sep).join('/'));
  const buildDir = process.env[NODE_BUILD_ENV];
  if (built !== undefined && buildDir !== undefined && buildDir !== '' && options.fromSources !== true) return [path.join(buildDir, built)];
  return ['--import', 'tsx', absolute];
}
