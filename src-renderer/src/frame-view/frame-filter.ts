/**
 * What the user asks the log to show and to find, and how that becomes the contract's
 * FrameFilter, which the engine runs over its whole store (the renderer holds only a window
 * of summaries). The filter narrows the log; the search finds frames in it (highlighted and
 * navigable) and narrows it too when "only matches" is on. Plain functions, tested as such.
 */
import type { Opcode } from '../../../src-main/shared/model';
import { parseBase64, parseHex } from '../../../src-main/shared/byte-text';
import type { FrameFilter as EngineFilter, TextAs } from '../../../src-main/shared/search';
import { formatBytes } from '../util/format';
import { parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import type { DecodedFilter } from '../../../src-main/shared/decoding';

export type DirectionFilter = 'all' | 'in' | 'out';
export type FrameKind = 'text' | 'binary' | 'control';
export const FRAME_KINDS: readonly FrameKind[] = ['text', 'binary', 'control'];
/** decoded: a query over each frame's decoded value (`$.event == 'chat'`, shared/decoded-query.ts). */
export type SearchMode = 'text' | 'regex' | 'jsonpath' | 'decoded';
/** The decoded fields the log filters by (the engine reads them per protocol: core/decode/decoded-fields.ts). */
export const DECODED_FIELDS = ['event', 'destination', 'topic', 'operation'] as const;
export type DecodedFieldName = (typeof DECODED_FIELDS)[number];
export const DECODED_FIELD_LABELS: Record<DecodedFieldName, string> = {
  event: 'Event (Socket.IO, SignalR)',
  destination: 'Destination (STOMP)',
  topic: 'Topic (MQTT)',
  operation: 'Operation (GraphQL)',
};
/** How a text search reads what is typed: as text (UTF-8), or as bytes in hex or base64. */
export type PayloadAs = TextAs;

export interface LogFilter {
  direction: DirectionFilter;
  /** Kinds picked in the filter bar; none picked means every kind. */
  kinds: FrameKind[];
  /** Hides ping, pong and close frames. */
  hideControl: boolean;
  /** Payload size range in bytes, inclusive (null: open). */
  minSize: number | null;
  maxSize: number | null;
  /** Only frames whose decoded field has this value (a Socket.IO event, a STOMP destination …). */
  decodedField: { name: DecodedFieldName; value: string } | null;
  /** Follow this conversation: only the frames of one request and its answers. */
  conversation: { key: string; label: string } | null;
}

export interface SearchQuery {
  /** The text, regular expression (no slashes) or JSONPath expression; '' for no search. */
  query: string;
  mode: SearchMode;
  caseSensitive: boolean;
  /** Text mode only: the query is text (default), hex bytes or base64 bytes. Kept per tab. */
  payloadAs?: PayloadAs;
}

export function defaultFilter(): LogFilter {
  return { direction: 'all', kinds: [], hideControl: false, minSize: null, maxSize: null, decodedField: null, conversation: null };
}

export function emptySearch(): SearchQuery {
  return { query: '', mode: 'text', caseSensitive: false, payloadAs: 'text' };
}

export function kindOf(opcode: Opcode): FrameKind {
  return opcode === 'text' ? 'text' : opcode === 'binary' ? 'binary' : 'control';
}

const KIND_OPCODES: Record<FrameKind, Opcode[]> = {
  text: ['text'],
  binary: ['binary'],
  control: ['ping', 'pong', 'close'],
};

/** The opcodes a filter keeps, or undefined when it keeps them all. */
export function opcodesOf(filter: LogFilter): Opcode[] | undefined {
  const kinds = new Set<FrameKind>(filter.kinds.length > 0 ? filter.kinds : FRAME_KINDS);
  if (filter.hideControl) kinds.delete('control');
  if (kinds.size === FRAME_KINDS.length) return undefined;
  const opcodes = FRAME_KINDS.filter((k) => kinds.has(k)).flatMap((k) => KIND_OPCODES[k]);
  // Nothing left (control only, then hidden) keeps nothing: text frames of size < 0 never match.
  return opcodes.length > 0 ? opcodes : undefined;
}

/** Why the size range cannot be used, or null. */
export function sizeProblem(filter: LogFilter): string | null {
  const { minSize, maxSize } = filter;
  if (minSize !== null && (!Number.isInteger(minSize) || minSize < 0)) return 'The smallest size must be a whole number of bytes.';
  if (maxSize !== null && (!Number.isInteger(maxSize) || maxSize < 0)) return 'The largest size must be a whole number of bytes.';
  if (minSize !== null && maxSize !== null && minSize > maxSize) return 'The smallest size is larger than the largest.';
  return null;
}

/** Whether the filter hides anything. */
export function isNarrowing(filter: LogFilter): boolean {
  return (
    filter.direction !== 'all' ||
    opcodesOf(filter) !== undefined ||
    (sizeProblem(filter) === null && (filter.minSize !== null || filter.maxSize !== null)) ||
    decodedFieldOf(filter) !== null ||
    filter.conversation !== null
  );
}

/** The decoded field filter when it has a value (an empty box filters nothing). */
function decodedFieldOf(filter: LogFilter): LogFilter['decodedField'] {
  const field = filter.decodedField;
  return field && field.value.trim() !== '' ? field : null;
}

export function hasSearch(search: SearchQuery): boolean {
  return search.query.trim() !== '';
}

/** The bytes a hex or base64 search asks for (null: a text, regex or JSONPath search). */
export function searchBytes(search: SearchQuery): Uint8Array | null {
  const as = payloadAsOf(search);
  if (as === 'text' || !hasSearch(search)) return null;
  const parsed = as === 'hex' ? parseHex(search.query) : parseBase64(search.query);
  return parsed.ok && parsed.value.length > 0 ? parsed.value : null;
}

/** What a text search reads its query as ('text' in the regex and JSONPath modes). */
export function payloadAsOf(search: SearchQuery): PayloadAs {
  return search.mode === 'text' ? (search.payloadAs ?? 'text') : 'text';
}

/**
 * A problem with the search the renderer can see at once (a regular expression that does not
 * compile here, hex or base64 that does not parse). JSONPath is checked by the engine, which
 * answers with the same kind of text.
 */
export function searchProblem(search: SearchQuery): string | null {
  const as = payloadAsOf(search);
  if (as !== 'text' && hasSearch(search)) {
    const parsed = as === 'hex' ? parseHex(search.query) : parseBase64(search.query);
    if (!parsed.ok) return parsed.error;
    return parsed.value.length === 0 ? `The ${as} search holds no byte.` : null;
  }
  if (hasSearch(search) && search.mode === 'decoded') {
    const parsed = parseDecodedQuery(search.query);
    return parsed.ok ? null : `Invalid decoded query: ${parsed.error}`;
  }
  if (!hasSearch(search) || search.mode !== 'regex') return null;
  try {
    new RegExp(search.query, search.caseSensitive ? '' : 'i');
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const detail = /: ([^:]+)$/.exec(message)?.[1] ?? message;
    return `Invalid regular expression: ${detail}`;
  }
}

/** The criteria of the filter alone, as the engine takes them. */
function filterCriteria(filter: LogFilter): EngineFilter {
  const out: EngineFilter = {};
  if (filter.direction !== 'all') out.direction = filter.direction;
  const opcodes = opcodesOf(filter);
  if (opcodes) out.opcodes = opcodes;
  if (sizeProblem(filter) === null) {
    if (filter.minSize !== null) out.minSize = filter.minSize;
    if (filter.maxSize !== null) out.maxSize = filter.maxSize;
  }
  const decoded: Partial<DecodedFilter> = {};
  const field = decodedFieldOf(filter);
  if (field) decoded[field.name] = field.value;
  if (filter.conversation) decoded.conversation = filter.conversation.key;
  if (Object.keys(decoded).length > 0) out.decoded = decoded;
  return out;
}

/** The engine filter for the filter and, when given, the search (both must hold). */
export function toEngineFilter(filter: LogFilter, search: SearchQuery | null = null): EngineFilter {
  const out = filterCriteria(filter);
  if (search && hasSearch(search)) {
    const as = payloadAsOf(search);
    if (search.mode === 'text') out.text = search.query;
    else if (search.mode === 'regex') out.regex = search.query;
    else if (search.mode === 'decoded') out.decoded = { ...out.decoded, query: search.query.trim() };
    else out.jsonPath = search.query.trim();
    if (as !== 'text') out.textAs = as;
    // Bytes are exact: case applies to text and regular expressions only.
    else if (search.mode !== 'jsonpath' && search.mode !== 'decoded' && !search.caseSensitive) out.ignoreCase = true;
  }
  return out;
}

/** Equal keys select the same frames. */
export function filterKey(filter: EngineFilter): string {
  return JSON.stringify([
    filter.direction ?? '',
    filter.opcodes ?? [],
    filter.minSize ?? -1,
    filter.maxSize ?? -1,
    filter.text ?? null,
    filter.textAs ?? 'text',
    filter.regex ?? null,
    filter.jsonPath ?? null,
    filter.ignoreCase === true,
    filter.decoded ?? null,
  ]);
}

// ---- chips ------------------------------------------------------------------------------

export type ChipId = 'direction' | 'kinds' | 'hideControl' | 'minSize' | 'maxSize' | 'decodedField' | 'conversation' | 'search' | 'onlyMatches';

export interface Chip {
  id: ChipId;
  /** What the chip says, e.g. `↑ sent only`, `≥ 1 KB`, `/err(or)?/i`. */
  label: string;
  /** What removing it does, for its button's accessible name. */
  removeLabel: string;
}

const SEARCH_MODE_NAMES: Record<SearchMode, string> = { text: 'text', regex: 'regular expression', jsonpath: 'JSONPath', decoded: 'decoded' };
const PAYLOAD_AS_NAMES: Record<PayloadAs, string> = { text: 'text', hex: 'hex', base64: 'base64' };

export function searchLabel(search: SearchQuery): string {
  if (search.mode === 'regex') return `/${search.query}/${search.caseSensitive ? '' : 'i'}`;
  if (search.mode === 'jsonpath' || search.mode === 'decoded') return search.query.trim();
  if (payloadAsOf(search) !== 'text') return search.query.trim();
  return `“${search.query}”${search.caseSensitive ? ' (match case)' : ''}`;
}

/** One chip per active criterion, in the order of the bar. */
export function filterChips(filter: LogFilter, search: SearchQuery, onlyMatches: boolean): Chip[] {
  const chips: Chip[] = [];
  if (filter.direction !== 'all') {
    chips.push({
      id: 'direction',
      label: filter.direction === 'out' ? '↑ sent only' : '↓ received only',
      removeLabel: 'Remove the direction filter',
    });
  }
  if (filter.kinds.length > 0 && filter.kinds.length < FRAME_KINDS.length) {
    chips.push({ id: 'kinds', label: `type: ${FRAME_KINDS.filter((k) => filter.kinds.includes(k)).join(', ')}`, removeLabel: 'Remove the type filter' });
  }
  if (filter.hideControl) chips.push({ id: 'hideControl', label: 'control frames hidden', removeLabel: 'Show control frames again' });
  const sizeOk = sizeProblem(filter) === null;
  if (sizeOk && filter.minSize !== null) chips.push({ id: 'minSize', label: `size ≥ ${formatBytes(filter.minSize)}`, removeLabel: 'Remove the smallest size' });
  if (sizeOk && filter.maxSize !== null) chips.push({ id: 'maxSize', label: `size ≤ ${formatBytes(filter.maxSize)}`, removeLabel: 'Remove the largest size' });
  const field = decodedFieldOf(filter);
  if (field) chips.push({ id: 'decodedField', label: `${field.name}: ${field.value}`, removeLabel: `Remove the ${field.name} filter` });
  if (filter.conversation) chips.push({ id: 'conversation', label: `conversation: ${filter.conversation.label}`, removeLabel: 'Stop following the conversation' });
  // A search that cannot run (a bad regular expression) is not an active filter.
  if (hasSearch(search) && searchProblem(search) === null) {
    chips.push({
      id: 'search',
      label: `${search.mode === 'text' ? PAYLOAD_AS_NAMES[payloadAsOf(search)] : SEARCH_MODE_NAMES[search.mode]}: ${searchLabel(search)}`,
      removeLabel: 'Clear the search',
    });
    if (onlyMatches) chips.push({ id: 'onlyMatches', label: 'only matches', removeLabel: 'Show frames that do not match too' });
  }
  return chips;
}
