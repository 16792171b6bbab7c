// Types for web.mjs, so TypeScript callers (the end-to-end tests' web host) can use it.
export declare const root: string;
/** 'missing' or 'stale' when an output is missing or older than the newest input, else null. */
export declare function buildNeeded(outputs: readonly string[], inputs: readonly string[]): 'missing' | 'stale' | null;
