/**
 * Searching and filtering a session's frames in the engine, over the whole store: the
 * filter (every criterion given must hold), the paged search request and its result.
 * Plain zod: the renderer builds filters with the same schema the engine checks.
 */
import { z } from 'zod';
import { frameSummarySchema, opcodeSchema } from './model';
import { decodedFilterSchema } from './decoding';

export const frameFilterSchema = z
  .object({
    direction: z.enum(['in', 'out']).optional(),
    /** Frame types to keep (any of them). */
    opcodes: z.array(opcodeSchema).min(1).max(5).optional(),
    /** Payload size range in bytes, inclusive. */
    minSize: z.number().int().min(0).optional(),
    maxSize: z.number().int().min(0).optional(),
    /**
     * Text the payload must contain. Payloads are read as UTF-8 (a close frame: its reason),
     * so text inside binary frames is found too.
     */
    text: z.string().min(1).max(10_000).optional(),
    /**
     * How `text` is read (default `text`): `hex` is bytes written in hex (`38 38`, `3838`,
     * `0x38 0x38`, any case), `base64` bytes in base64. Bytes are matched exactly and on byte
     * boundaries in any frame's payload; `ignoreCase` does not apply to them.
     */
    textAs: z.enum(['text', 'hex', 'base64']).optional(),
    /** A JavaScript regular expression (source, no slashes) the payload must match. */
    regex: z.string().min(1).max(10_000).optional(),
    /** Case-insensitive `text` and `regex` (default false). */
    ignoreCase: z.boolean().optional(),
    /**
     * A JSONPath expression (jsonpath-plus syntax) that must select something in a text frame's
     * JSON. A filter right at the root (`$[?(@.price > 10)]`) tests a message that is an object
     * itself, and each element of one that is an array.
     */
    jsonPath: z.string().min(1).max(10_000).optional(),
    /**
     * Criteria on the frame's decoded value, with the session's decoding (`session:decoding`):
     * decoded fields, a query (`$.event == 'chat'`), a conversation. Frames that do not decode never match.
     */
    decoded: decodedFilterSchema.optional(),
  })
  .refine((f) => f.minSize === undefined || f.maxSize === undefined || f.minSize <= f.maxSize, {
    message: 'minSize must not be larger than maxSize',
    path: ['minSize'],
  });
export type FrameFilter = z.infer<typeof frameFilterSchema>;
export type TextAs = NonNullable<FrameFilter['textAs']>;

export const SEARCH_DEFAULT_LIMIT = 100;
export const SEARCH_MAX_LIMIT = 5000;

export const searchRequestSchema = z.object({
  sessionId: z.string().min(1).max(100),
  /** Names the search so it can be cancelled; the engine makes one up when left out. */
  searchId: z.string().min(1).max(100).optional(),
  filter: frameFilterSchema,
  /** Where to start (inclusive); default: the oldest frame (newest when `backward`). A cursor from `nextSeq`. */
  fromSeq: z.number().int().min(1).optional(),
  /** Scan towards older frames (for "previous match"). */
  backward: z.boolean().optional(),
  /** Most matches to return in this page. */
  limit: z.number().int().min(1).max(SEARCH_MAX_LIMIT).default(SEARCH_DEFAULT_LIMIT),
  /** Keep scanning after the page is full to count every match (`total`). */
  countAll: z.boolean().optional(),
});
export type SearchRequest = z.output<typeof searchRequestSchema>;

export const searchResultSchema = z.object({
  searchId: z.string(),
  /** The matching frames of this page, in scan order (ascending, or descending when backward). */
  matches: z.array(frameSummarySchema),
  /** Where the next page starts (pass it as `fromSeq`), or null when the scan reached the end. */
  nextSeq: z.number().int().nullable(),
  /** Every match in the store (only with `countAll`, and only when the scan was not cancelled). */
  total: z.number().int().optional(),
  /** Frames looked at. */
  scanned: z.number().int(),
  /** Cancelled by `frames:search-cancel` or by a newer search of the same session. */
  cancelled: z.boolean(),
  elapsedMs: z.number(),
  /** The store at the end of the search (it may have grown meanwhile). */
  firstSeq: z.number().int(),
  lastSeq: z.number().int(),
  dropped: z.number().int(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;
