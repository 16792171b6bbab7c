/**
 * Gives a WebAssembly module's own linear memory a maximum size, by rewriting the limits of its
 * memory section before it is compiled. Past that size `memory.grow` fails, so the module's
 * malloc returns NULL instead of the memory growing until the process runs out.
 *
 * Why QuickJS needs it: quickjs-wasi's build counts only a few bytes of overhead per
 * allocation towards JS_SetMemoryLimit (wasi-libc has no malloc_usable_size), so its
 * `memoryLimit` stops single allocations larger than the limit but never a script that makes
 * many small ones (`for (;;) a.push(new Array(1e5).fill(1))` grew to 2 GB). With the memory
 * capped, such a script gets QuickJS's own "out of memory" error at the cap.
 */

const WASM_PAGE = 64 * 1024;
const MAGIC_AND_VERSION = 8;
const MEMORY_SECTION = 5;

export class WasmModuleShapeError extends Error {}

/** A copy of `bytes` whose (single, defined) memory may grow to at most its initial size plus `extraBytes`. */
export function capWasmMemory(bytes: Uint8Array, extraBytes: number): Uint8Array {
  if (!Number.isInteger(extraBytes) || extraBytes < 0) throw new RangeError(`the extra memory must be a whole number of bytes ≥ 0, not ${extraBytes}`);
  if (bytes.length < MAGIC_AND_VERSION || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmModuleShapeError('not a WebAssembly module (no "\\0asm" header)');
  }
  const reader = new LebReader(bytes, MAGIC_AND_VERSION);
  while (reader.offset < bytes.length) {
    const sectionStart = reader.offset;
    const id = reader.byte();
    const size = reader.u32();
    const bodyStart = reader.offset;
    const bodyEnd = bodyStart + size;
    if (bodyEnd > bytes.length) throw new WasmModuleShapeError(`section ${id} at byte ${sectionStart} runs past the end of the module`);
    if (id === MEMORY_SECTION) {
      const count = reader.u32();
      if (count !== 1) throw new WasmModuleShapeError(`the module defines ${count} memories; expected exactly one`);
      const flags = reader.byte();
      if (flags !== 0x00 && flags !== 0x01) throw new WasmModuleShapeError(`the memory's limits have flags 0x${flags.toString(16)} (shared or 64-bit memory is not supported)`);
      const initialPages = reader.u32();
      const declaredMax = flags === 0x01 ? reader.u32() : undefined;
      if (reader.offset !== bodyEnd) throw new WasmModuleShapeError('the memory section has bytes after its one memory');
      const cappedMax = initialPages + Math.ceil(extraBytes / WASM_PAGE);
      const maxPages = declaredMax === undefined ? cappedMax : Math.min(declaredMax, cappedMax);
      const body = [...encodeU32(1), 0x01, ...encodeU32(initialPages), ...encodeU32(maxPages)];
      const section = Uint8Array.from([MEMORY_SECTION, ...encodeU32(body.length), ...body]);
      const patched = new Uint8Array(bytes.length - (bodyEnd - sectionStart) + section.length);
      patched.set(bytes.subarray(0, sectionStart), 0);
      patched.set(section, sectionStart);
      patched.set(bytes.subarray(bodyEnd), sectionStart + section.length);
      return patched;
    }
    reader.offset = bodyEnd;
  }
  throw new WasmModuleShapeError('the module defines no memory of its own (an imported memory cannot be capped here)');
}

class LebReader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset: number,
  ) {}

  byte(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw new WasmModuleShapeError(`the module ends early (at byte ${this.offset})`);
    this.offset += 1;
    return value;
  }

  /** An unsigned LEB128 number of at most 32 bits. */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffff_ffff) break;
        return result;
      }
    }
    throw new WasmModuleShapeError(`a number at byte ${this.offset} is longer than 32 bits`);
  }
}

function encodeU32(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}
