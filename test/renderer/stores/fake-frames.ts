/**
 * An engine frame store in miniature for renderer tests: answers `frames:page` and
 * `frames:search` on the fake bridge from a list of frames (text and regex over the preview;
 * a JSONPath starting with `$[` is refused as the engine refuses a bad one). Arguments are
 * checked with the contract's schemas, as the engine checks them.
 */
import { commandSchemas } from '../../../src-main/shared/commands';
import type { FrameSummary } from '../../../src-main/shared/model';
import type { FrameFilter } from '../../../src-main/shared/search';
import type { FakeBridge } from './fake-bridge';

export interface FakeFrameStore {
  /** Every frame the store holds, ascending by seq. */
  frames: FrameSummary[];
  /** Frames the store has evicted. */
  dropped: number;
  /** Every search request, in order. */
  searches: { filter: FrameFilter; fromSeq: number | undefined; searchId: string | undefined }[];
  /** Makes the next searches wait until `release()` (to test cancellation and ordering). */
  hold(): void;
  release(): void;
}

function matches(frame: FrameSummary, filter: FrameFilter): boolean {
  if (filter.direction && frame.dir !== filter.direction) return false;
  if (filter.opcodes && !filter.opcodes.includes(frame.opcode)) return false;
  if (filter.minSize !== undefined && frame.size < filter.minSize) return false;
  if (filter.maxSize !== undefined && frame.size > filter.maxSize) return false;
  const text = frame.preview;
  if (filter.text !== undefined) {
    const hit = filter.ignoreCase ? text.toLowerCase().includes(filter.text.toLowerCase()) : text.includes(filter.text);
    if (!hit) return false;
  }
  if (filter.regex !== undefined && !new RegExp(filter.regex, filter.ignoreCase ? 'i' : '').test(text)) return false;
  if (filter.jsonPath !== undefined) {
    try {
      const value: unknown = JSON.parse(text);
      const key = filter.jsonPath.replace(/^\$\./, '');
      if (typeof value !== 'object' || value === null || !(key in value)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export function serveFrames(fake: FakeBridge, sessionId: string, frames: FrameSummary[], dropped = 0): FakeFrameStore {
  let held: (() => void)[] | null = null;
  const store: FakeFrameStore = {
    frames,
    dropped,
    searches: [],
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const run of waiting) run();
    },
  };
  const range = () => ({ firstSeq: store.frames[0]?.seq ?? 0, lastSeq: store.frames.at(-1)?.seq ?? 0, dropped: store.dropped });

  fake.answer('frames:page', (raw) => {
    const arg = commandSchemas['frames:page'].arg.parse(raw);
    if (arg.sessionId !== sessionId) return { ok: false, error: { code: 'UNKNOWN_SESSION', message: `no session ${arg.sessionId}` } };
    const page = store.frames.filter((f) => f.seq >= arg.fromSeq && f.seq < arg.fromSeq + arg.limit);
    return { ok: true, value: { frames: page, ...range() } };
  });

  const cancelledIds = new Set<string>();
  fake.answer('frames:search-cancel', (raw) => {
    const arg = commandSchemas['frames:search-cancel'].arg.parse(raw);
    cancelledIds.add(arg.searchId);
    return { ok: true, value: { cancelled: true } };
  });

  const search = (raw: unknown) => {
    const arg = commandSchemas['frames:search'].arg.parse(raw);
    store.searches.push({ filter: arg.filter, fromSeq: arg.fromSeq, searchId: arg.searchId });
    if (arg.filter.jsonPath?.startsWith('$[')) {
      return {
        ok: false as const,
        error: { code: 'INVALID_ARGUMENT' as const, message: 'frames:search: filter.jsonPath: Unexpected end of JSONPath at 2', path: 'filter.jsonPath' },
      };
    }
    const from = arg.fromSeq ?? 1;
    const found: FrameSummary[] = [];
    let nextSeq: number | null = null;
    for (const frame of store.frames) {
      if (frame.seq < from || !matches(frame, arg.filter)) continue;
      found.push(frame);
      if (found.length >= arg.limit) {
        const after = frame.seq + 1;
        nextSeq = after <= range().lastSeq ? after : null;
        break;
      }
    }
    const cancelled = arg.searchId !== undefined && cancelledIds.has(arg.searchId);
    return {
      ok: true as const,
      value: { searchId: arg.searchId ?? 'search', matches: cancelled ? [] : found, nextSeq, scanned: 0, cancelled, elapsedMs: 1, ...range() },
    };
  };
  // The fake bridge's handlers are synchronous; a held search answers once released.
  const original = fake.bridge['frames:search'];
  fake.bridge['frames:search'] = (arg) => {
    const waiting = held;
    if (!waiting) return original(arg);
    return new Promise((resolve) => waiting.push(() => resolve(original(arg))));
  };
  fake.answer('frames:search', search);
  return store;
}
