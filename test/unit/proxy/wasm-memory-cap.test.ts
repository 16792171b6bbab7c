import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WasmModuleShapeError, capWasmMemory } from '../../../src-main/core/proxy/wasm-memory-cap';

// Node has the WebAssembly global; this project's TypeScript libs do not declare it (see quickjs-wasm.ts).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
};

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const PAGE = 64 * 1024;

/** A module with one memory of `initial` pages (and `max`), exported as "memory". */
function moduleWithMemory(initial: number, max?: number): Uint8Array {
  const limits = max === undefined ? [0x00, initial] : [0x01, initial, max];
  const memory = [0x05, limits.length + 1, 0x01, ...limits];
  const exportBody = [0x01, 0x06, ...Buffer.from('memory'), 0x02, 0x00];
  const exports = [0x07, exportBody.length, ...exportBody];
  return Uint8Array.from([...HEADER, ...memory, ...exports]);
}

function exportedMemory(bytes: Uint8Array): WasmMemory {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const memory = instance.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('no exported memory');
  return memory;
}

describe('capWasmMemory', () => {
  it('lets a memory without a maximum grow by the extra bytes and no further', () => {
    const memory = exportedMemory(capWasmMemory(moduleWithMemory(2), 3 * PAGE));
    expect(memory.buffer.byteLength).toBe(2 * PAGE);
    expect(memory.grow(3)).toBe(2);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it('rounds the extra bytes up to whole pages', () => {
    const memory = exportedMemory(capWasmMemory(moduleWithMemory(1), PAGE + 1));
    expect(memory.grow(2)).toBe(1);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it('keeps a declared maximum that is already lower, and lowers a higher one', () => {
    const lower = exportedMemory(capWasmMemory(moduleWithMemory(1, 2), 10 * PAGE));
    expect(lower.grow(1)).toBe(1);
    expect(() => lower.grow(1)).toThrow(RangeError);
    const higher = exportedMemory(capWasmMemory(moduleWithMemory(1, 100), PAGE));
    expect(higher.grow(1)).toBe(1);
    expect(() => higher.grow(1)).toThrow(RangeError);
  });

  it('leaves every other section as it was (the sections after the memory move, intact)', () => {
    const original = moduleWithMemory(2);
    const patched = capWasmMemory(original, PAGE);
    // The memory section grew by one byte (the maximum); the export section follows it unchanged.
    expect(patched.length).toBe(original.length + 1);
    expect(Buffer.from(patched.subarray(-12)).equals(Buffer.from(original.subarray(-12)))).toBe(true);
    expect(Buffer.from(patched.subarray(0, 8)).equals(Buffer.from(HEADER))).toBe(true);
  });

  it("caps QuickJS's module, which still compiles", async () => {
    const packageJson = createRequire(import.meta.url).resolve('quickjs-wasi/package.json');
    const bytes = await readFile(join(dirname(packageJson), 'quickjs.wasm'));
    const patched = capWasmMemory(bytes, 32 * 1024 * 1024);
    expect(patched.length).toBeGreaterThan(bytes.length - 1);
    expect(WebAssembly.validate(patched)).toBe(true);
  });

  describe('bad input: a clear error that says what is wrong', () => {
    it.each([
      ['not WebAssembly', Uint8Array.from(Buffer.from('PK\u0003\u0004 not a module')), 'not a WebAssembly module'],
      ['too short for a header', Uint8Array.from([0x00, 0x61]), 'not a WebAssembly module'],
      ['no memory of its own', Uint8Array.from(HEADER), 'defines no memory of its own'],
      ['two memories', Uint8Array.from([...HEADER, 0x05, 0x05, 0x02, 0x00, 0x01, 0x00, 0x01]), 'defines 2 memories'],
      ['a shared memory', Uint8Array.from([...HEADER, 0x05, 0x04, 0x01, 0x03, 0x01, 0x02]), 'flags 0x3'],
      ['a section that runs past the end', Uint8Array.from([...HEADER, 0x05, 0x10, 0x01]), 'section 5 at byte 8 runs past the end'],
      ['a memory section cut short', Uint8Array.from([...HEADER, 0x05, 0x02, 0x01, 0x00]), 'ends early'],
      ['a number longer than 32 bits', Uint8Array.from([...HEADER, 0x05, 0x08, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), 'longer than 32 bits'],
      ['bytes after the memory', Uint8Array.from([...HEADER, 0x05, 0x04, 0x01, 0x00, 0x01, 0x00]), 'bytes after its one memory'],
    ])('%s', (_name, bytes, message) => {
      expect(() => capWasmMemory(bytes, PAGE)).toThrow(WasmModuleShapeError);
      expect(() => capWasmMemory(bytes, PAGE)).toThrow(message);
    });

    it.each([-1, 1.5, Number.NaN])('an extra size of %s bytes', (extra) => {
      expect(() => capWasmMemory(moduleWithMemory(1), extra)).toThrow(`the extra memory must be a whole number of bytes ≥ 0, not ${extra}`);
    });
  });
});
