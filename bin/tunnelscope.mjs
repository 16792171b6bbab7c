#!/usr/bin/env node
// The `tunnelscope` command of a global install: runs the built CLI. In a source checkout
// without a build, say so plainly instead of failing with a stack trace.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
// vite.node.config.ts builds out/node/cli.js; out/cli/index.js is the older layout.
const candidates = [join(root, 'out', 'node', 'cli.js'), join(root, 'out', 'cli', 'index.js')];
const built = candidates.find((file) => existsSync(file));

if (built === undefined) {
  process.stderr.write(
    `tunnelscope: the command line has not been built (${candidates[0]} is missing).\n` +
      `Build it with "npm run build" in ${root}, or run it from the sources with "npm run cli -- <command>".\n`,
  );
  process.exit(1);
}

// The built module runs the command line as soon as it is loaded.
await import(pathToFileURL(built).href);
