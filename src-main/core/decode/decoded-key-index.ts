/**
 * What a decoded-field search needs of every frame decoded so far, kept compact so a search over
 * a million decoded frames does not decode them again: per frame one number, the id of its
 * field set ("destination /topic/prices", "event chat" …, interned: a session has few distinct
 * ones), in an Int32Array by seq. Filled as frames are decoded (FrameDecodeCache hands every
 * answer over), so it costs nothing until something decodes; the first search decodes, the next
 * ones read 4 bytes a frame. Frames the store evicts are dropped from the front.
 */
import type { DecodeOutcome } from './decoded-frame';
import { decodedFields, type DecodedFields } from './decoded-fields';

/** Not decoded yet (or not kept: the frame was behind the index's start). */
const UNKNOWN = 0;
/** Decoded but nothing a field filter matches (not valid, or no fields). */
const NO_FIELDS = 1;
/**
 * Passed over by a prefiltered search without decoding (raw-prefilter.ts): self-contained, so it
 * decodes alone exactly as in order; its fields are not known.
 */
const PASSED_OVER = -1;

export type FieldName = keyof DecodedFields;

export class DecodedKeyIndex {
  private readonly ids = new Map<string, number>();
  /** By id: the field set's fields (ids 0 and 1 are UNKNOWN and NO_FIELDS). */
  private readonly sets: (DecodedFields | undefined)[] = [undefined, undefined];
  private keys = new Int32Array(1024);
  /** The seq at keys[0]. */
  private base = 1;

  /** `firstSeq`: the store's oldest frame, read when the index grows (what is older is dropped). */
  constructor(private readonly firstSeq: () => number = () => 1) {}

  /** The answer the cache gave for `seq`, read in order (not a frame decoded again alone). */
  note(seq: number, outcome: DecodeOutcome | undefined): void {
    this.set(seq, outcome && outcome.kind !== 'invalid' ? this.idOf(decodedFields(outcome.value)) : NO_FIELDS);
  }

  /** The fields a decoder gave for `seq` read in order (StreamDecoder.fields: as note with its answer). */
  noteFields(seq: number, fields: DecodedFields): void {
    this.set(seq, this.idOf(fields));
  }

  private set(seq: number, id: number): void {
    if (seq < this.base) return;
    const at = seq - this.base;
    if (at >= this.keys.length) {
      this.forgetBefore(this.firstSeq());
      if (seq < this.base) return;
      this.grow(seq - this.base + 1);
    }
    this.keys[seq - this.base] = id;
  }

  /** A frame the in-order walk passed over without decoding it (see PASSED_OVER). */
  notePassedOver(seq: number): void {
    if (seq < this.base) return;
    if (seq - this.base >= this.keys.length) {
      this.forgetBefore(this.firstSeq());
      if (seq < this.base) return;
      this.grow(seq - this.base + 1);
    }
    // A frame decoded before keeps its fields (they say more than "passed over").
    if (this.keys[seq - this.base] === UNKNOWN) this.keys[seq - this.base] = PASSED_OVER;
  }

  /** Whether the frame was passed over without decoding (it decodes alone exactly as in order). */
  passedOver(seq: number): boolean {
    const at = seq - this.base;
    return at >= 0 && at < this.keys.length && this.keys[at] === PASSED_OVER;
  }

  /** Frames before `firstSeq` are gone from the store: their keys go too. */
  forgetBefore(firstSeq: number): void {
    const drop = firstSeq - this.base;
    if (drop <= 0) return;
    this.keys = drop >= this.keys.length ? new Int32Array(1024) : this.keys.slice(drop);
    this.base = firstSeq;
  }

  /**
   * A test on the index for "each named field has this value" (event, destination, topic,
   * operation): true or false for a frame already decoded, undefined for one not decoded yet.
   */
  matcher(wanted: Partial<Record<FieldName, string>>): (seq: number) => boolean | undefined {
    const verdicts: (boolean | undefined)[] = [];
    const wants = Object.entries(wanted).filter((entry): entry is [FieldName, string] => entry[1] !== undefined);
    const verdict = (id: number): boolean => {
      let known = verdicts[id];
      if (known === undefined) {
        const fields = this.sets[id];
        known = fields !== undefined && wants.every(([name, value]) => fields[name].includes(value));
        verdicts[id] = known;
      }
      return known;
    };
    return (seq) => {
      const at = seq - this.base;
      const id = at >= 0 && at < this.keys.length ? (this.keys[at] ?? UNKNOWN) : UNKNOWN;
      if (id === UNKNOWN || id === PASSED_OVER) return undefined;
      return id === NO_FIELDS ? false : verdict(id);
    };
  }

  private idOf(fields: DecodedFields): number {
    if (fields.events.length + fields.destinations.length + fields.topics.length + fields.operations.length === 0) return NO_FIELDS;
    const key = `${fields.events.join('\u0000')}\u0001${fields.destinations.join('\u0000')}\u0001${fields.topics.join('\u0000')}\u0001${fields.operations.join('\u0000')}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(fields);
      this.ids.set(key, id);
    }
    return id;
  }

  private grow(needed: number): void {
    let size = this.keys.length;
    while (size < needed) size *= 2;
    const next = new Int32Array(size);
    next.set(this.keys);
    this.keys = next;
  }
}
