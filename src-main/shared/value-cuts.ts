/**
 * Where `frames:decode`'s value (`values: true`, the detail pane) was cut to keep one answer
 * small (core/decoded-value-bound.ts): a long string keeps its start, a container past the
 * budget its first entries. A 20 MiB STOMP body sent as a 20 MiB JSON string, beside the raw
 * bytes, was what got the web host's page cut off.
 */
import { z } from 'zod';

/** A string longer than this keeps this many UTF-16 units. */
export const DECODED_STRING_CAP = 100_000;
/** About this many characters of the value are sent in all (strings, keys, numbers), then containers are cut. */
export const DECODED_VALUE_BUDGET = 1024 * 1024;
/** Most cuts one frame's value lists. */
export const MAX_VALUE_CUTS = 1000;

export const valueCutSchema = z.object({
  /** Keys and indexes from the value's root to the string or container cut. */
  path: z.array(z.union([z.string(), z.number().int().min(0)])).max(10_000),
  /** `string`: `more` UTF-8 bytes left out at its end; `entries`: `more` items or keys left out at its end. */
  kind: z.enum(['string', 'entries']),
  more: z.number().int().min(1),
});
export type ValueCut = z.infer<typeof valueCutSchema>;
