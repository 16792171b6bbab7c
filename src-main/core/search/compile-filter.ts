/**
 * Turns a FrameFilter into what the scanner runs: bit masks for direction and type, a size
 * range, the text needle in the forms the scanner compares (hex and base64 searches as their
 * bytes), a checked regex and a checked JSONPath. A bad regex, JSONPath, hex or base64 comes
 * back as a problem naming the field.
 */
import { parseBase64, parseHex } from '../../shared/byte-text';
import type { FrameFilter } from '../../shared/search';
import { OPCODE_LIST, OUT_BIT } from '../session/frame-store';
import { compileJsonPath } from './json-path';
import { compileSearchRegex } from './safe-regex';

/**
 * A search's decoded criteria, per frame. `walkTowards` (every decoded search: its walk decodes
 * every frame before the one asked, in-order-match-walk.ts or the field search's prefilter-walk.ts
 * or the cache's, so no frame is matched on an answer decoded without them) decodes up to `frames`
 * more frames towards `seq` and says whether it got there, so the search walks in time slices
 * before testing its first frame (a backward search's first frame needs every frame before it).
 * `stale` turns true when the decoding it tests with is no longer the session's (the decode choice
 * changed, or the session was forgotten): a search stops then (frame-search.ts), so no answer
 * mixes the old choice's matches with the new one's.
 */
export type DecodedTest = ((seq: number) => boolean) & { walkTowards?: (seq: number, frames: number) => boolean; stale?: () => boolean };

export interface CompiledFilter {
  /** Bit (1 << opcode index) set for every opcode kept. */
  opcodeMask: number;
  /** -1: any direction; else the meta bit a frame's direction must have (0 in, OUT_BIT out). */
  directionBit: number;
  minSize: number;
  maxSize: number;
  /** Case-sensitive text (or hex/base64 bytes) as the Latin-1 string of its bytes (compared byte for byte). */
  textBytes?: string;
  /** Case-insensitive text, lower case (compared with the decoded, lower-cased payload). */
  textLower?: string;
  regex?: RegExp;
  jsonPath?: (json: unknown) => boolean;
  /** The decoded criteria (set by the engine, which holds the session's decoding): tested last, per frame. */
  decoded?: DecodedTest;
  /** Whether any criterion needs the payload. */
  needsPayload: boolean;
}

export interface FilterProblem {
  /** Where in the command argument: `filter.regex`. */
  path: string;
  message: string;
}

export type CompileFilterResult = { ok: true; filter: CompiledFilter } | { ok: false; problem: FilterProblem };

export function compileFilter(filter: FrameFilter, where = 'filter'): CompileFilterResult {
  let opcodeMask = 0;
  for (const opcode of filter.opcodes ?? OPCODE_LIST) opcodeMask |= 1 << OPCODE_LIST.indexOf(opcode);
  const compiled: CompiledFilter = {
    opcodeMask,
    directionBit: filter.direction === undefined ? -1 : filter.direction === 'out' ? OUT_BIT : 0,
    minSize: filter.minSize ?? 0,
    maxSize: filter.maxSize ?? Number.POSITIVE_INFINITY,
    needsPayload: false,
  };
  const ignoreCase = filter.ignoreCase === true;
  if (filter.text !== undefined) {
    const textAs = filter.textAs ?? 'text';
    if (textAs !== 'text') {
      // Bytes are matched exactly: the scanner's byte search keeps hits on byte boundaries.
      const bytes = textAs === 'hex' ? parseHex(filter.text) : parseBase64(filter.text);
      if (!bytes.ok) return { ok: false, problem: { path: `${where}.text`, message: bytes.error } };
      if (bytes.value.length === 0) return { ok: false, problem: { path: `${where}.text`, message: `The ${textAs} search holds no byte.` } };
      compiled.textBytes = Buffer.from(bytes.value).toString('latin1');
    } else if (ignoreCase) compiled.textLower = filter.text.toLowerCase();
    else compiled.textBytes = Buffer.from(filter.text, 'utf8').toString('latin1');
    compiled.needsPayload = true;
  }
  if (filter.regex !== undefined) {
    const regex = compileSearchRegex(filter.regex, ignoreCase);
    if (!regex.ok) return { ok: false, problem: { path: `${where}.regex`, message: regex.message } };
    compiled.regex = regex.regex;
    compiled.needsPayload = true;
  }
  if (filter.jsonPath !== undefined) {
    const jsonPath = compileJsonPath(filter.jsonPath);
    if (!jsonPath.ok) return { ok: false, problem: { path: `${where}.jsonPath`, message: jsonPath.message } };
    compiled.jsonPath = jsonPath.matches;
    compiled.needsPayload = true;
  }
  return { ok: true, filter: compiled };
}
