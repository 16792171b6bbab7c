/**
 * One decoded search as `frames:search` runs it (the engine's predicate for `filter.decoded`,
 * then the store's search), timed in wall-clock and CPU time: parts (10) and (11).
 */
import { DecodeCommands } from '../src-main/core/decode-commands';
import { compileFilter } from '../src-main/core/search/compile-filter';
import { searchFrames } from '../src-main/core/search/frame-search';
import { FrameStore } from '../src-main/core/session/frame-store';

export type DecodedSearchSession = Parameters<DecodeCommands['predicate']>[0];
export type DecodedSearchFilter = Parameters<DecodeCommands['predicate']>[1];

export interface TimedSearch {
  ms: number;
  cpuMs: number;
  total: number;
}

export async function timedDecodedSearch(
  store: FrameStore,
  decodes: DecodeCommands,
  session: DecodedSearchSession,
  filter: DecodedSearchFilter,
  backward = false,
): Promise<TimedSearch> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const decoded = decodes.predicate(session, filter);
  if (!decoded.ok) throw new Error(decoded.error.message);
  const compiled = compileFilter({});
  if (!compiled.ok) throw new Error(compiled.problem.message);
  compiled.filter.decoded = decoded.value;
  // No time limit: a reference search decodes a million frames.
  const result = await searchFrames(store, compiled.filter, { searchId: 'bench', limit: 100, countAll: true, ...(backward ? { backward } : {}) }, { cancelled: () => false, maxDurationMs: 600_000 });
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, total: result.total ?? -1 };
}
