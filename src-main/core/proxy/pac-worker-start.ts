/**
 * Starts a PAC worker thread. Where its code is depends on how Tunnelscope runs:
 * - built (electron-vite's main bundle → out/main, vite.node.config.ts → out/node): both
 *   builds have pac-worker.ts as an entry of its own, emitted as `pac-worker.js` next to
 *   index.js / cli.js. This module is bundled into that folder or into a chunk folder one
 *   level below it (out/node/assets/), so the worker is looked for in both places.
 * - from the sources (Vitest, `npm run cli` and `npm run web` through tsx): pac-worker.ts
 *   next to this file. A worker does not get the TypeScript loader of its parent (Vitest
 *   transforms only its own thread; tsx registers its hooks only on the main thread on
 *   Node 20), so the worker registers tsx itself before importing the entry.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { PacWorkerData } from './pac-worker-protocol';
import type { CompiledWasm } from './quickjs-wasm';

const BUILT_ENTRY = 'pac-worker.js';
/** Relative to this module in a build: the same folder, or one up from a chunk folder. */
const BUILT_LOCATIONS = [`./${BUILT_ENTRY}`, `../${BUILT_ENTRY}`];

/**
 * The worker's own JavaScript heap (pac-resolver, the messages; not the QuickJS VM, whose
 * WebAssembly memory is outside V8's heap and capped in quickjs-wasm.ts). Past it, Node stops
 * the worker (ERR_WORKER_OUT_OF_MEMORY), which the pool reports as a crash: the process's RSS
 * cannot run away through a PAC worker. Loading from the sources (tsx) needs the most.
 */
export const PAC_WORKER_RESOURCE_LIMITS: Readonly<ResourceLimits> = {
  maxOldGenerationSizeMb: 96,
  maxYoungGenerationSizeMb: 16,
  codeRangeSizeMb: 32,
};

/** `warmUp`: the QuickJS module, which the worker runs a tiny script with before it says ready. */
export function startPacWorker(warmUp?: CompiledWasm): Worker {
  const here = new URL(import.meta.url);
  const workerData: PacWorkerData = warmUp !== undefined ? { warmUp } : {};
  if (here.pathname.endsWith('.ts')) return startFromSources(here, workerData);
  return new Worker(unpackedFromAsar(builtEntry(here)), { workerData, resourceLimits: { ...PAC_WORKER_RESOURCE_LIMITS } });
}

/**
 * In a packaged desktop app the code sits in app.asar, and a worker thread is not reliably
 * started from inside an archive: electron-builder.yml unpacks the worker entry
 * (asarUnpack) next to it, into app.asar.unpacked, which is used when present.
 */
export function unpackedFromAsar(entry: URL, exists: (path: string) => boolean = existsSync): URL {
  const path = fileURLToPath(entry);
  const marker = /([\\/])app\.asar([\\/])/;
  if (!marker.test(path)) return entry;
  const unpacked = path.replace(marker, '$1app.asar.unpacked$2');
  return exists(unpacked) ? pathToFileURL(unpacked) : entry;
}

/** The built worker entry; throws (with where it looked) if the build did not emit it. */
export function builtEntry(here: URL): URL {
  for (const location of BUILT_LOCATIONS) {
    // A computed specifier: bundlers would otherwise treat `new URL('./x', import.meta.url)`
    // as an asset to copy.
    const candidate = new URL(location, here);
    if (existsSync(candidate)) return candidate;
  }
  const places = BUILT_LOCATIONS.map((location) => fileURLToPath(new URL(location, here))).join(' or ');
  throw new Error(`the PAC worker code is missing (looked for ${places})`);
}

function startFromSources(here: URL, workerData: PacWorkerData): Worker {
  const entry = new URL('./pac-worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  // Evaluated as a CommonJS script in the worker; a rejection there is the worker's
  // uncaught error, which the pool reports.
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits: { ...PAC_WORKER_RESOURCE_LIMITS } });
}
