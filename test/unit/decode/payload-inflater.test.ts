/**
 * The reused native inflater (payload-inflater.ts): whatever bytes it gives equal what Node's
 * public sync functions return for the same message; 'failed' only where they throw; 'unsure'
 * where the output may pass its scratch buffer or the internals are missing. After a refusal or
 * a long output the next message is read right (the engine was reset or replaced), and a
 * refusal leaves no 'error' event unhandled.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PayloadInflater, SCRATCH_BYTES, SMALL_MESSAGE_BYTES, type Compression } from '../../../src-main/core/decode/payload-inflater';
import { inflateSmall } from '../../../src-main/core/decode/small-inflate';
import { readStoredBrotli } from '../../../src-main/core/decode/brotli-stored';

/** Whether brotli-stored.ts answers without the native decoder (stored bytes or a refusal). */
const answeredWithoutDecoder = (bytes: Uint8Array): boolean => readStoredBrotli(bytes, 0, bytes.length, Buffer.alloc(64 * 1024)) !== undefined;

const PUBLIC: Record<Compression, (bytes: Uint8Array) => Buffer> = {
  gzip: (bytes) => zlib.gunzipSync(bytes),
  deflate: (bytes) => zlib.inflateSync(bytes),
  'deflate-raw': (bytes) => zlib.inflateRawSync(bytes),
  brotli: (bytes) => zlib.brotliDecompressSync(bytes),
};
const COMPRESS: Record<Compression, (bytes: Uint8Array) => Buffer> = {
  gzip: (bytes) => zlib.gzipSync(bytes),
  deflate: (bytes) => zlib.deflateSync(bytes),
  'deflate-raw': (bytes) => zlib.deflateRawSync(bytes),
  brotli: (bytes) => zlib.brotliCompressSync(bytes),
};
const KINDS = Object.keys(PUBLIC) as Compression[];

const publicOutcome = (bytes: Uint8Array, how: Compression): Buffer | 'throws' => {
  try {
    return PUBLIC[how](bytes);
  } catch {
    return 'throws';
  }
};

const INPUTS = [
  Buffer.from('{"event":"chat","seq":1,"data":{"sym":"ABC1","price":7}}'),
  Buffer.from('plain text, caf\u00e9'),
  Buffer.from([0xff, 0xfe, 0x00, 0x01]),
  Buffer.alloc(0),
  Buffer.from('x'.repeat(20_000)),
];

describe('PayloadInflater', () => {
  it.each(KINDS)('%s: the same bytes as the public function, message after message (the engine is reused)', (how) => {
    const inflater = new PayloadInflater();
    for (let round = 0; round < 3; round++) {
      for (const input of INPUTS) {
        const compressed = COMPRESS[how](input);
        const fast = inflater.inflate(compressed, how);
        expect(fast, `${how} of ${input.length} B`).toBeInstanceOf(Buffer);
        expect(Buffer.from(fast as Buffer).equals(publicOutcome(compressed, how) as Buffer)).toBe(true);
        expect(Buffer.from(fast as Buffer).equals(input)).toBe(true);
      }
    }
  });

  it('reads a message inside a larger buffer by its start and end', () => {
    const inflater = new PayloadInflater();
    const message = zlib.gzipSync('{"event":"chat"}');
    const slab = Buffer.concat([Buffer.from('before'), message, zlib.gzipSync('next one')]);
    const fast = inflater.inflate(slab, 'gzip', 6, 6 + message.length);
    expect(String(fast)).toBe('{"event":"chat"}');
  });

  it('refuses exactly what the public function refuses, and reads the next message right', async () => {
    const inflater = new PayloadInflater();
    const good = zlib.deflateSync('{"a":1}');
    const corrupt = Buffer.from(good);
    corrupt[4] = (corrupt[4] ?? 0) ^ 0xff;
    const cases: [Uint8Array, Compression][] = [
      [good.subarray(0, good.length - 3), 'deflate'], // truncated: no end marker
      [corrupt, 'deflate'],
      [Buffer.from('plain text here'), 'brotli'],
      [Buffer.from('plain text here'), 'deflate-raw'],
      [Buffer.from('plain text here'), 'gzip'],
      [zlib.gzipSync('x'), 'deflate'], // a gzip header where zlib's is wanted
      [Buffer.from([0x1f, 0x8b, 0x08]), 'gzip'],
    ];
    for (const [bytes, how] of cases) {
      const expected = publicOutcome(bytes, how);
      const fast = inflater.inflate(bytes, how);
      if (expected === 'throws') expect(fast, `${how} ${Buffer.from(bytes).toString('hex')}`).toBe('failed');
      else expect(Buffer.from(fast as Buffer).equals(expected)).toBe(true);
      expect(String(inflater.inflate(COMPRESS[how](Buffer.from('after')), how))).toBe('after');
    }
    // Node's error handler also emits 'error' on the next tick: it must not go unhandled.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('brotli: a refusal renews only the native handle (no new engine), and every message after it reads right', () => {
    let enginesMade = 0;
    const counting = (how: Compression): zlib.BrotliDecompress => {
      enginesMade += 1;
      expect(how).toBe('brotli');
      return zlib.createBrotliDecompress();
    };
    const inflater = new PayloadInflater(counting);
    for (let i = 0; i < 300; i++) {
      // Cut short: its first bits are good brotli (brotli-stored.ts leaves it to the decoder), so the decoder refuses it.
      const whole = zlib.brotliCompressSync(`{"seq":${i},"text":"cut short ${i}"}`);
      const cut = whole.subarray(0, whole.length - 2);
      expect(answeredWithoutDecoder(cut)).toBe(false);
      expect(publicOutcome(cut, 'brotli')).toBe('throws');
      expect(inflater.inflate(cut, 'brotli'), `cut message ${i}`).toBe('failed');
      expect(String(inflater.inflate(zlib.brotliCompressSync(`brotli ${i}`), 'brotli'))).toBe(`brotli ${i}`);
    }
    expect(enginesMade).toBe(1);
  });

  it('brotli: where the handle’s class makes no native handle, the refused engine is replaced and reading goes on right', () => {
    let enginesMade = 0;
    const foreignHandle = (how: Compression): zlib.BrotliDecompress => {
      enginesMade += 1;
      const engine = zlib.createBrotliDecompress();
      const native: unknown = Reflect.get(engine, '_handle');
      // The same native methods behind an object whose class is a plain one (as another runtime might have).
      const wrapped = {
        writeSync: (...args: unknown[]) => Reflect.apply(Reflect.get(Object(native), 'writeSync') as (...a: unknown[]) => void, native, args),
        reset: () => Reflect.apply(Reflect.get(Object(native), 'reset') as () => void, native, []),
        close: () => Reflect.apply(Reflect.get(Object(native), 'close') as () => void, native, []),
        onerror: () => undefined,
      };
      Reflect.set(Object(native), 'onerror', (...args: unknown[]) => (wrapped.onerror as (...a: unknown[]) => void)(...args));
      Reflect.set(engine, '_handle', wrapped);
      expect(how).toBe('brotli');
      return engine;
    };
    const inflater = new PayloadInflater(foreignHandle);
    const whole = zlib.brotliCompressSync('cut short');
    const refused = whole.subarray(0, whole.length - 2);
    expect(answeredWithoutDecoder(refused)).toBe(false);
    expect(publicOutcome(refused, 'brotli')).toBe('throws');
    expect(inflater.inflate(refused, 'brotli')).toBe('failed');
    // Repeated, so brotli compresses it (a stored stream is copied without any engine).
    const after = 'after, after, after, after, after';
    expect(String(inflater.inflate(zlib.brotliCompressSync(after), 'brotli'))).toBe(after);
    expect(enginesMade).toBe(2);
  });

  it('brotli: a stream that stores its data (a small message brotli cannot shrink) is read without a native engine', () => {
    let enginesMade = 0;
    const inflater = new PayloadInflater(() => {
      enginesMade += 1;
      return zlib.createBrotliDecompress();
    });
    const message = '{"event":"e3","seq":3,"data":{"sym":"ABC3","price":21}}';
    const bytes = zlib.brotliCompressSync(message);
    // The encoder's own choice: one uncompressed meta-block (ISUNCOMPRESSED, bit 23), then an empty last one.
    expect(((bytes[2] ?? 0) >> 7) & 1).toBe(1);
    expect(String(inflater.inflate(bytes, 'brotli'))).toBe(message);
    expect(enginesMade).toBe(0);
    const compressed = zlib.brotliCompressSync(message.repeat(4));
    expect(String(inflater.inflate(compressed, 'brotli'))).toBe(message.repeat(4));
    expect(enginesMade).toBe(1);
  });

  it('gzip, zlib and raw deflate: a small message is read without a native engine (small-inflate.ts), an unusual one with it', () => {
    let enginesMade = 0;
    const counting = (how: Compression): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw => {
      enginesMade += 1;
      return how === 'gzip' ? zlib.createGunzip() : how === 'deflate' ? zlib.createInflate() : zlib.createInflateRaw();
    };
    const inflater = new PayloadInflater(counting);
    const message = '{"event":"e3","seq":3,"data":{"sym":"ABC3","price":21}}';
    for (const how of ['gzip', 'deflate', 'deflate-raw'] as const) {
      expect(String(inflater.inflate(COMPRESS[how](Buffer.from(message)), how))).toBe(message);
    }
    expect(enginesMade).toBe(0);
    // Trailing bytes: left to the native handle, which ignores them as the public function does.
    const trailing = Buffer.concat([zlib.deflateSync(message), Buffer.from([0])]);
    expect(String(inflater.inflate(trailing, 'deflate'))).toBe(String(publicOutcome(trailing, 'deflate')));
    expect(enginesMade).toBe(1);
    // Past SMALL_MESSAGE_BYTES the native handle is faster, even for a fixed-Huffman block.
    const long = Buffer.from(Array.from({ length: 40 }, (_, i) => `${message.slice(0, 20)}${i}`).join(','));
    const fixed = zlib.gzipSync(long, { strategy: zlib.constants.Z_FIXED });
    expect(fixed.length).toBeGreaterThan(SMALL_MESSAGE_BYTES);
    expect(inflateSmall(fixed, 'gzip', 0, fixed.length, Buffer.alloc(SCRATCH_BYTES))).toBe(long.length);
    expect(String(inflater.inflate(fixed, 'gzip'))).toBe(String(long));
    expect(enginesMade).toBe(2);
  });

  it('gzip members one after another and trailing bytes: as the public function', () => {
    const inflater = new PayloadInflater();
    for (const bytes of [Buffer.concat([zlib.gzipSync('one '), zlib.gzipSync('two')]), Buffer.concat([zlib.gzipSync('one'), Buffer.from([0, 0, 7])]), Buffer.concat([zlib.gzipSync('one'), Buffer.from('garbage')])]) {
      const expected = publicOutcome(bytes, 'gzip');
      const fast = inflater.inflate(bytes, 'gzip');
      if (expected === 'throws') expect(fast).toBe('failed');
      else expect(String(fast)).toBe(String(expected));
    }
    for (const bytes of [Buffer.concat([zlib.deflateSync('one'), Buffer.from('garbage')]), Buffer.concat([zlib.brotliCompressSync('one'), Buffer.from('garbage')])]) {
      const how: Compression = bytes[0] === 0x78 ? 'deflate' : 'brotli';
      const expected = publicOutcome(bytes, how);
      const fast = inflater.inflate(bytes, how);
      if (expected === 'throws') expect(fast).toBe('failed');
      else expect(String(fast)).toBe(String(expected));
    }
  });

  it('is unsure of an output that fills its scratch buffer, and then goes on right', () => {
    const inflater = new PayloadInflater(undefined, 1024);
    for (const how of KINDS) {
      expect(inflater.inflate(COMPRESS[how](Buffer.alloc(1024, 0x61)), how)).toBe('unsure');
      expect(inflater.inflate(COMPRESS[how](Buffer.alloc(5000, 0x61)), how)).toBe('unsure');
      expect(String(inflater.inflate(COMPRESS[how](Buffer.alloc(1023, 0x62)), how))).toBe('b'.repeat(1023));
    }
  });

  it('without Node’s internals (another runtime) it is unsure of everything small-inflate.ts leaves to zlib, never wrong', () => {
    const stripped = (how: Compression): zlib.Gunzip => {
      const engine = how === 'gzip' ? zlib.createGunzip() : zlib.createInflate();
      Reflect.set(engine, '_writeState', undefined);
      return engine;
    };
    const inflater = new PayloadInflater(stripped);
    // Two gzip members and bytes after a zlib stream: the TypeScript inflater leaves them to zlib.
    expect(inflater.inflate(Buffer.concat([zlib.gzipSync('h'), zlib.gzipSync('i')]), 'gzip')).toBe('unsure');
    expect(inflater.inflate(Buffer.concat([zlib.deflateSync('hi'), Buffer.from([0])]), 'deflate')).toBe('unsure');
    // A plain small message needs no internals at all.
    expect(String(inflater.inflate(zlib.gzipSync('hi'), 'gzip'))).toBe('hi');
  });
});
