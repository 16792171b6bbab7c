/**
 * What read-log-ids.ts waits on before each page of its search (log-search-busy.ts makes one
 * from the log's state). Apart from it so the reading can be tested in Node without the stores.
 */
export interface LogSearchGate {
  /** Whether a page now would cancel the log's (asked right before sending one). */
  busy(): boolean;
  /** Resolves when the log is no longer busy (at once when it is not). */
  idle(): Promise<void>;
}
