/**
 * Runs a session's engine searches one at a time. The engine lets each session run one
 * search (a new one cancels the one before), and the log may need two: the filtered list and
 * the search results. Each is an index job that pages through the store (`frames:search`,
 * up to 5,000 matches a page) from the oldest frame to the newest, then follows the live end
 * with a small search over the new frames every so often. Jobs take turns, one page each.
 *
 * Replacing a job (the user typed another character) cancels its search in the engine at
 * once; its late answer is ignored.
 */
import type { FrameSummary } from '../../../src-main/shared/model';
import type { CommandError, Result } from '../../../src-main/shared/result';
import type { NetError } from '../../../src-main/shared/errors';
import { SEARCH_MAX_LIMIT, type FrameFilter, type SearchResult } from '../../../src-main/shared/search';
import { filterKey } from './frame-filter';
import { MatchIndex } from './match-index';

export type SlotName = 'list' | 'search';

export interface SearchCall {
  sessionId: string;
  searchId: string;
  filter: FrameFilter;
  fromSeq: number;
  limit: number;
}

export interface SearchBackend {
  search(call: SearchCall): Promise<Result<SearchResult>>;
  cancel(sessionId: string, searchId: string): Promise<unknown>;
  /** Summaries that came with the matches (they fill the summary cache). */
  remember(frames: readonly FrameSummary[]): void;
}

/** How often a caught-up job looks at newly arrived frames. */
export const TAIL_INTERVAL_MS = 250;

export class IndexJob {
  readonly index = new MatchIndex();
  readonly key: string;
  /** Every match at or below this seq is in the index. */
  scannedTo = 0;
  /** Where the next page starts. */
  nextFrom = 1;
  pages = 0;
  /** The engine refused the filter (a bad regular expression or JSONPath), in words. */
  error: string | null = null;
  /** Where the problem is (`filter.regex`, `filter.jsonPath`). */
  errorPath: string | null = null;
  replaced = false;
  /** It has reached the live end once: from now on it scans new frames every TAIL_INTERVAL_MS. */
  tailing = false;
  lastScanAt = -Infinity;

  constructor(
    readonly id: number,
    readonly slot: SlotName,
    readonly filter: FrameFilter,
  ) {
    this.key = filterKey(filter);
  }

  get searchId(): string {
    return `${this.slot}-${this.id}`;
  }

  /** Whether every stored frame up to `lastSeq` has been looked at. */
  caughtUp(lastSeq: number): boolean {
    return this.error !== null || this.scannedTo >= lastSeq;
  }
}

/** `frames:search: filter.regex: Invalid regular expression…` → `Invalid regular expression…`. */
export function searchErrorText(error: CommandError | NetError): { message: string; path: string | null } {
  const path = 'path' in error && typeof error.path === 'string' ? error.path : null;
  let message = error.message;
  if (message.startsWith('frames:search: ')) message = message.slice('frames:search: '.length);
  if (path && message.startsWith(`${path}: `)) message = message.slice(path.length + 2);
  return { message, path };
}

export class SearchRunner {
  private readonly jobs = new Map<SlotName, IndexJob>();
  private running: IndexJob | null = null;
  private counter = 0;
  private firstSeq = 0;
  private lastSeq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly sessionId: string,
    private readonly backend: SearchBackend,
    /** Told whenever a job changed (new matches, caught up, an error). */
    private readonly onChange: (job: IndexJob) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  job(slot: SlotName): IndexJob | null {
    return this.jobs.get(slot) ?? null;
  }

  /** Sets what a slot indexes (null: nothing). The same filter keeps the job and its work. */
  setFilter(slot: SlotName, filter: FrameFilter | null): IndexJob | null {
    const current = this.jobs.get(slot);
    if (filter && current && current.key === filterKey(filter)) return current;
    if (current) this.retire(current);
    if (!filter) {
      this.jobs.delete(slot);
      return null;
    }
    this.counter += 1;
    const job = new IndexJob(this.counter, slot, filter);
    job.nextFrom = Math.max(1, this.firstSeq);
    // Nothing below the range is searched (evicted, or cleared from the log): it counts as scanned.
    job.scannedTo = job.nextFrom - 1;
    this.jobs.set(slot, job);
    this.kick();
    return job;
  }

  /**
   * The session's decoding changed (another decode choice, a schema): what a job with decoded
   * criteria found so far is the old decoding's, so it starts again from the first frame (its
   * search under way is cancelled; its late answer ignored). Other jobs keep their work.
   */
  restartDecoded(): void {
    for (const [slot, job] of [...this.jobs]) {
      if (job.filter.decoded === undefined) continue;
      this.jobs.delete(slot);
      this.retire(job);
      const fresh = this.setFilter(slot, job.filter);
      if (fresh) this.onChange(fresh);
    }
  }

  /** The store's range changed: forget evicted matches, look at new frames. */
  setRange(firstSeq: number, lastSeq: number): void {
    if (firstSeq > this.firstSeq) {
      this.firstSeq = firstSeq;
      for (const job of this.jobs.values()) {
        if (job.index.dropBelow(firstSeq) > 0) this.onChange(job);
        if (job.nextFrom < firstSeq) job.nextFrom = firstSeq;
        job.scannedTo = Math.max(job.scannedTo, firstSeq - 1);
      }
    }
    this.lastSeq = Math.max(this.lastSeq, lastSeq);
    this.kick();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const job of this.jobs.values()) this.retire(job);
    this.jobs.clear();
  }

  private retire(job: IndexJob): void {
    job.replaced = true;
    if (this.running === job) void this.backend.cancel(this.sessionId, job.searchId);
  }

  /** The job to give the next page to (the one with the fewest pages), or how long until a tail is due. */
  private pick(): { job: IndexJob } | { wait: number } | null {
    let best: IndexJob | null = null;
    let wait = Infinity;
    const now = this.now();
    for (const job of this.jobs.values()) {
      if (job.error !== null || job.nextFrom > this.lastSeq) continue;
      // A job that has reached the live end looks at the new frames every TAIL_INTERVAL_MS.
      const due = job.tailing ? job.lastScanAt + TAIL_INTERVAL_MS - now : 0;
      if (due > 0) {
        wait = Math.min(wait, due);
        continue;
      }
      if (!best || job.pages < best.pages) best = job;
    }
    if (best) return { job: best };
    return Number.isFinite(wait) ? { wait } : null;
  }

  private kick(): void {
    if (this.disposed || this.running) return;
    const next = this.pick();
    if (!next) return;
    if ('wait' in next) {
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.kick();
        }, next.wait);
      }
      return;
    }
    void this.runPage(next.job);
  }

  private async runPage(job: IndexJob): Promise<void> {
    this.running = job;
    // The engine scans to its newest frame, which is at least the newest one known here.
    const knownLast = this.lastSeq;
    const fromSeq = Math.max(job.nextFrom, this.firstSeq, 1);
    let result: Result<SearchResult>;
    try {
      result = await this.backend.search({ sessionId: this.sessionId, searchId: job.searchId, filter: job.filter, fromSeq, limit: SEARCH_MAX_LIMIT });
    } finally {
      this.running = null;
    }
    if (this.disposed || job.replaced) {
      this.kick();
      return;
    }
    job.lastScanAt = this.now();
    if (!result.ok) {
      const { message, path } = searchErrorText(result.error);
      job.error = message;
      job.errorPath = path;
      this.onChange(job);
      this.kick();
      return;
    }
    const page = result.value;
    if (!page.cancelled) {
      job.pages += 1;
      this.backend.remember(page.matches);
      job.index.append(page.matches.map((m) => m.seq));
      if (page.nextSeq !== null) {
        job.nextFrom = page.nextSeq;
        job.scannedTo = Math.max(job.scannedTo, page.nextSeq - 1);
        job.tailing = false;
      } else {
        job.scannedTo = Math.max(job.scannedTo, knownLast, fromSeq - 1);
        job.nextFrom = job.scannedTo + 1;
        job.tailing = true;
      }
      if (page.lastSeq > this.lastSeq) this.lastSeq = page.lastSeq;
      if (page.firstSeq > this.firstSeq) this.setRange(page.firstSeq, page.lastSeq);
      this.onChange(job);
    }
    this.kick();
  }
}
