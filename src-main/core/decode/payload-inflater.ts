/**
 * Inflating many small payloads quickly with Node's own zlib. `zlib.gunzipSync` and its siblings
 * build a whole stream for every call (a Transform, a native handle, zlib's state and window):
 * 3–6 µs for an 80-byte message, most of a compressed frame's decoding and nearly all of a
 * query search over a million of them. This keeps one engine per compression and runs each
 * message through its native handle once, with the finish flag the sync functions use, then
 * resets it (zlib's inflateReset, a fresh brotli state): the same native code, 0.4–0.8 µs a
 * message on this machine, 0.3–0.4 on an earlier one (brotli 1.8 µs; a brotli stream that
 * stores its data is copied, brotli-stored.ts).
 * Before it, gzip, zlib and raw deflate messages of at most 128 bytes are inflated in
 * TypeScript (small-inflate.ts), exact or not at all: the bench's 60-byte messages in
 * 0.28–0.35 µs against 0.41–0.57 through the handle, whose write and reset cost most of that
 * whatever the size; anything unusual (a dynamic-Huffman block, an error, a second member,
 * trailing bytes, a full scratch buffer) goes to the handle, and so do larger messages. Bench
 * (11)'s search over a million gzip frames: 0.97–1.00 → 0.73–0.82 µs of CPU a frame.
 *
 * The handle's `writeSync` and the engine's `_writeState` are Node internals, the ones zlib's own
 * sync functions call (lib/zlib.js, processChunkSync); they are checked, not assumed. The answer
 * is exact or it is 'unsure':
 * - the bytes: what the public function returns for the message (the same native calls; output
 *   split into chunks or not, zlib and brotli give the same bytes and stop at the same error);
 * - 'failed': the native decoder refused the message, so the public function throws too (the
 *   caller asks it when it needs the error's words); the engine is reset and kept;
 * - 'unsure': the internals are missing (another runtime), or the output may not fit the scratch
 *   buffer in one call (the public function then reads it, with its size limit): ask the public
 *   function.
 */
import zlib from 'node:zlib';
import { readStoredBrotli } from './brotli-stored';
import { inflateSmall } from './small-inflate';

export type Compression = 'gzip' | 'deflate' | 'deflate-raw' | 'brotli';

/** Exact inflated bytes (a view of the scratch buffer, valid until the next call), or see the file comment. */
export type FastInflate = Buffer | 'failed' | 'unsure';

interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  /** Back to a fresh stream, keeping the memory (what `engine.reset()` calls; brotli makes a new state). */
  reset(): void;
  /** Frees the native state (what destroying the engine calls). */
  close(): void;
}

interface FastEngine {
  engine: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress;
  handle: NativeHandle;
  /** [output bytes left, input bytes left] after each write (Node's `_writeState`). */
  state: Uint32Array;
  finish: number;
  /** Set by the handle's error callback during a write (see engineFor). */
  refused: boolean;
}

export type EngineFactory = (how: Compression) => FastEngine['engine'];

const createEngine: EngineFactory = (how) => {
  switch (how) {
    case 'gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'deflate-raw':
      return zlib.createInflateRaw();
    case 'brotli':
      return zlib.createBrotliDecompress();
  }
};

/** Whether a zlib engine's `_handle` has the methods used here (Node's native binding). */
function isNativeHandle(value: unknown): value is NativeHandle {
  return typeof value === 'object' && value !== null && ['writeSync', 'reset', 'close'].every((method) => typeof Reflect.get(value, method) === 'function');
}

export const SCRATCH_BYTES = 64 * 1024;

/**
 * Messages up to this size are tried in TypeScript first (small-inflate.ts). The native call
 * costs about 0.4 µs more whatever the size but inflates each byte about 3 times faster: for a
 * fixed-Huffman block of JSON they break even near 180 bytes of output, about 110 of deflate data.
 */
export const SMALL_MESSAGE_BYTES = 128;

export class PayloadInflater {
  private readonly engines = new Map<Compression, FastEngine | null>();
  /** Where the output goes; valid until the next call. */
  readonly scratch: Buffer;

  constructor(
    private readonly create: EngineFactory = createEngine,
    scratchBytes = SCRATCH_BYTES,
  ) {
    this.scratch = Buffer.allocUnsafe(scratchBytes);
  }

  /** `input[start, end)` inflated as `how` (see the file comment). */
  inflate(input: Uint8Array, how: Compression, start = 0, end = input.byteLength): FastInflate {
    const length = this.inflateToScratch(input, how, start, end);
    return typeof length === 'number' ? this.scratch.subarray(0, length) : length;
  }

  /**
   * As `inflate`, but the bytes are the first `length` of `scratch` (no view made: a search
   * reading a million messages looks at them in place).
   */
  inflateToScratch(input: Uint8Array, how: Compression, start = 0, end = input.byteLength): number | 'failed' | 'unsure' {
    if (how === 'brotli') {
      // A stored stream is copied, and most raw deflate is refused in its first bits, without a
      // native decoder state (brotli-stored.ts).
      const stored = readStoredBrotli(input, start, end, this.scratch);
      if (typeof stored === 'number') return stored;
      if (stored === 'refused') return 'failed';
    } else if (end - start <= SMALL_MESSAGE_BYTES) {
      // A small message is inflated in TypeScript, exact or not at all (small-inflate.ts).
      const small = inflateSmall(input, how, start, end, this.scratch);
      if (small !== undefined) return small;
    }
    const fast = this.engineFor(how);
    if (!fast) return 'unsure';
    const scratch = this.scratch;
    fast.refused = false;
    try {
      fast.handle.writeSync(fast.finish, input, start, end - start, scratch, 0, scratch.length);
    } catch {
      // Not expected of Node's binding; whatever it was, this engine is not trusted again.
      this.drop(how, fast);
      return 'unsure';
    }
    if (fast.engine.destroyed) {
      // Node's own error handler ran (ours could not be installed): a new engine next time.
      this.drop(how, fast);
      return 'failed';
    }
    const outputLeft = fast.state[0] ?? 0;
    if (fast.refused) {
      // zlib's reset clears its error, so that engine is kept. Node's brotli context keeps the
      // error code across a reset (every later write would fail): its native handle is replaced.
      if (how !== 'brotli') fast.handle.reset();
      else if (!this.renewBrotliHandle(fast)) this.drop(how, fast);
      return 'failed';
    }
    fast.handle.reset();
    // A full scratch buffer may mean more output to come: the public function reads it all.
    if (outputLeft === 0) return 'unsure';
    return scratch.length - outputLeft;
  }

  private engineFor(how: Compression): FastEngine | undefined {
    const known = this.engines.get(how);
    if (known !== undefined) return known ?? undefined;
    const engine = this.create(how);
    // Should Node's error handler run after all, it destroys the engine and emits 'error' on the
    // next tick: that must not become an uncaught exception.
    engine.on('error', () => undefined);
    const handle: unknown = Reflect.get(engine, '_handle');
    const state: unknown = Reflect.get(engine, '_writeState');
    if (!isNativeHandle(handle) || !(state instanceof Uint32Array) || state.length < 2) {
      engine.destroy();
      this.engines.set(how, null);
      return undefined;
    }
    const fast: FastEngine = { engine, handle, state, finish: finishFlag(how), refused: false };
    // The binding calls `onerror` synchronously from a write that fails; Node's own handler
    // destroys the engine, and making a new one costs far more than the message (brotli, tried
    // first on every raw deflate message, 86 µs). Ours notes the refusal and keeps the engine.
    if (typeof Reflect.get(handle, 'onerror') === 'function') noteRefusals(fast, handle);
    this.engines.set(how, fast);
    return fast;
  }

  /**
   * A fresh native brotli decoder in place of the one that refused, made as Node's Brotli
   * constructor makes it (lib/zlib.js: `new binding.BrotliDecoder(mode)`, then `init` with the
   * parameters array and the engine's `_writeState`), without the stream around it: 1.3 µs a
   * refusal against 4.5 for a whole new engine, and brotli refuses every raw deflate message
   * before raw deflate is tried. False when the handle's class does not make one (another
   * runtime): the caller then drops the engine.
   */
  private renewBrotliHandle(fast: FastEngine): boolean {
    let fresh: unknown;
    try {
      const native: unknown = fast.handle.constructor;
      if (typeof native !== 'function') return false;
      fresh = Reflect.construct(native, [zlib.constants.BROTLI_DECODE]);
      const init: unknown = Reflect.get(Object(fresh), 'init');
      if (typeof init !== 'function' || !isNativeHandle(fresh)) return false;
      Reflect.apply(init, fresh, [brotliInitParams(), fast.state, ignoreCallback]);
    } catch {
      return false;
    }
    fast.handle.close();
    fast.handle = fresh;
    noteRefusals(fast, fresh);
    return true;
  }

  private drop(how: Compression, fast: FastEngine): void {
    this.engines.delete(how);
    // Closing the native handle frees its memory at once; the stream object around it, never
    // used again, is left to the garbage collector (destroying it too took 30 µs against 11).
    if (!fast.engine.destroyed) fast.handle.close();
  }
}

/** Makes the binding's synchronous error callback note the refusal instead of destroying the engine. */
function noteRefusals(fast: FastEngine, handle: NativeHandle): void {
  Reflect.set(handle, 'onerror', () => {
    fast.refused = true;
  });
}

/** The async write's callback `init` wants; a sync write never calls it. */
function ignoreCallback(): void {}

let brotliParams: Uint32Array | undefined;
/** Node's `brotliInitParamsArray` with no parameter set: one slot per BROTLI_PARAM_ constant, each -1 ("not given"). */
function brotliInitParams(): Uint32Array {
  if (!brotliParams) {
    const highest = Math.max(...Object.entries(zlib.constants).map(([key, value]) => (key.startsWith('BROTLI_PARAM_') ? value : 0)));
    brotliParams = new Uint32Array(highest + 1).fill(0xffffffff);
  }
  return brotliParams;
}

/** The flush flag zlib's sync functions pass (`_finishFlushFlag`). */
function finishFlag(how: Compression): number {
  return how === 'brotli' ? zlib.constants.BROTLI_OPERATION_FINISH : zlib.constants.Z_FINISH;
}

/** One per process: JavaScript runs one call at a time, and each caller reads the view before the next. */
export const sharedInflater = new PayloadInflater();
