/**
 * The QuickJS WebAssembly module, compiled once per process on the calling thread and handed
 * to each PAC worker with its request (a compiled module crosses threads without being read
 * or compiled again). Reading the .wasm here, not in the worker, also keeps that file access
 * on the thread that has every file system feature of the host (Electron's asar support).
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { QuickJSOptions } from 'quickjs-wasi';
import { capWasmMemory } from './wasm-memory-cap';

export type CompiledWasm = NonNullable<QuickJSOptions['wasm']>;

/**
 * Memory a PAC script may allocate inside its VM (far more than any real one needs): both
 * QuickJS's own limit (one allocation) and how far the VM's WebAssembly memory may grow past
 * its start-up size (all allocations together; see wasm-memory-cap.ts).
 */
export const PAC_MEMORY_LIMIT_BYTES = 32 * 1024 * 1024;

// Node has the WebAssembly global, but this project's TypeScript libs (ES2023 + @types/node)
// do not declare it as a value; these are the parts used.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<CompiledWasm>;
  Module: abstract new (...args: never[]) => object;
};

let wasmModule: Promise<CompiledWasm> | undefined;

/** QuickJS compiled once per process; a failed load is retried next time. */
export function quickJsModule(): Promise<CompiledWasm> {
  wasmModule ??= compileQuickJs().catch((error: unknown) => {
    wasmModule = undefined;
    throw error;
  });
  return wasmModule;
}

async function compileQuickJs(): Promise<CompiledWasm> {
  // quickjs-wasi does not export its .wasm file; it sits next to its package.json.
  const packageJson = createRequire(import.meta.url).resolve('quickjs-wasi/package.json');
  const bytes = await readFile(join(dirname(packageJson), 'quickjs.wasm'));
  return WebAssembly.compile(capWasmMemory(bytes, PAC_MEMORY_LIMIT_BYTES));
}

/** True for a compiled WebAssembly module (what a worker receives after the structured clone). */
export function isCompiledWasm(value: unknown): value is CompiledWasm {
  return value instanceof WebAssembly.Module;
}
