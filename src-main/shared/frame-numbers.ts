/**
 * The frame numbers an imported log's file gave its frames, beside the store's own seqs. The
 * store numbers its frames 1, 2, 3 … without gaps (paging, the virtual list and every walk rely
 * on it); a filtered export's file numbers them as they were (#12, #57, #300), and the user
 * quotes those. FrameNumbers maps one to the other: seq s is the file's `numberOf(s)`, and a
 * file's number is found back with `seqOf`. Only made when the file's numbers are not 1..n.
 *
 * One typed array, one slot per seq: 4 bytes a frame (Int32Array), 8 when a number does not fit
 * 31 bits (Float64Array). No object per frame.
 */

const INT32_MAX = 2 ** 31 - 1;

/** The nearest numbers the file has on either side of one it does not have. */
export interface NearestNumbers {
  before?: number;
  after?: number;
}

/** What showing and finding numbers needs (a reactive copy of FrameNumbers keeps these). */
export type FrameNumberLookup = Pick<FrameNumbers, 'numberOf' | 'seqOf' | 'nearest'>;

export class FrameNumbers {
  private constructor(private readonly numbers: Int32Array | Float64Array) {}

  /**
   * From the file's numbers in store order: strictly increasing whole numbers from 1, else it
   * throws. A typed array is kept as it is (not copied); a list is packed into one.
   */
  static of(numbers: Int32Array | Float64Array | readonly number[]): FrameNumbers {
    let previous = 0;
    let wide = false;
    for (let i = 0; i < numbers.length; i++) {
      const number = numbers[i] ?? 0;
      if (!Number.isSafeInteger(number) || number <= previous) throw new RangeError(`frame number ${i + 1} (${String(number)}) is not a whole number after ${previous}`);
      if (number > INT32_MAX) wide = true;
      previous = number;
    }
    if (numbers instanceof Int32Array || numbers instanceof Float64Array) return new FrameNumbers(numbers);
    return new FrameNumbers(wide ? Float64Array.from(numbers) : Int32Array.from(numbers));
  }

  /** How many seqs it maps (1..count). */
  get count(): number {
    return this.numbers.length;
  }

  /** Bytes it holds: what the mapping costs. */
  get bytes(): number {
    return this.numbers.byteLength;
  }

  /** The file's number of the store's seq (a seq it does not map keeps its own). */
  numberOf(seq: number): number {
    return seq >= 1 && seq <= this.numbers.length ? (this.numbers[seq - 1] ?? seq) : seq;
  }

  /** The store's seq of the file's number, or undefined when the file has no such frame. */
  seqOf(number: number): number | undefined {
    const index = this.lowerIndex(number);
    return this.numbers[index] === number ? index + 1 : undefined;
  }

  /** How many frames the file numbers `number` or less: the seq a separator after file number `number` goes after. */
  countUpTo(number: number): number {
    return this.lowerIndex(number + 1);
  }

  /** The file's numbers nearest to one it does not have, on each side where there is one. */
  nearest(number: number): NearestNumbers {
    const index = this.lowerIndex(number);
    const after = this.numbers[index];
    const before = index > 0 ? this.numbers[index - 1] : undefined;
    return { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
  }

  /** The numbers as a plain list (to cross a boundary). */
  toList(): number[] {
    return Array.from(this.numbers);
  }

  /** The first index whose number is at least `number` (binary search: the numbers increase). */
  private lowerIndex(number: number): number {
    let low = 0;
    let high = this.numbers.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.numbers[mid] ?? 0) < number) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/**
 * Collects a file's numbers as an import reads its frames, growing by doubling. `push` says
 * what is wrong with a number (not after the previous one, not a whole number from 1); the
 * caller then renumbers and says where.
 */
export class FrameNumbersBuilder {
  private list: Int32Array | Float64Array = new Int32Array(1024);
  private length = 0;
  private previous = 0;
  /** Every number so far equals its position (1, 2, 3 …): no mapping is needed. */
  private identity = true;

  get last(): number {
    return this.previous;
  }

  /** Adds the next frame's number; returns why it cannot be one (then nothing is added). */
  push(number: number): string | undefined {
    if (!Number.isSafeInteger(number) || number < 1) return `${String(number)} is not a whole number from 1`;
    if (number <= this.previous) return number === this.previous ? `${number} repeats the previous frame's number` : `${number} is not after the previous frame's ${this.previous}`;
    if (this.length === this.list.length || (number > INT32_MAX && this.list instanceof Int32Array)) this.grow(number > INT32_MAX);
    this.list[this.length] = number;
    this.length += 1;
    this.previous = number;
    if (number !== this.length) this.identity = false;
    return undefined;
  }

  /** The mapping, or undefined when the numbers are 1..n (the store's own). */
  finish(): FrameNumbers | undefined {
    if (this.identity) return undefined;
    return FrameNumbers.of(this.array());
  }

  /** The numbers pushed, trimmed (a copy: the spare room is given back). */
  array(): Int32Array | Float64Array {
    return this.list.slice(0, this.length);
  }

  private grow(wide: boolean): void {
    const size = this.length === this.list.length ? this.list.length * 2 : this.list.length;
    const next = wide || this.list instanceof Float64Array ? new Float64Array(size) : new Int32Array(size);
    next.set(this.list.subarray(0, this.length));
    this.list = next;
  }
}
