/**
 * The messages between the calling thread and a PAC worker thread (pac-worker.ts). Each side
 * validates what it receives: a message crossed a thread boundary and is not trusted to have
 * the shape its sender meant.
 */
import { z } from 'zod';
import { isCompiledWasm, type CompiledWasm } from './quickjs-wasm';

/** Calling thread → worker: run this script's FindProxyForURL once, in a fresh VM. */
export const pacRequestSchema = z.object({
  type: z.literal('evaluate'),
  id: z.number().int(),
  wasm: z.custom<CompiledWasm>(isCompiledWasm, { message: 'not a compiled WebAssembly module' }),
  script: z.string(),
  url: z.string(),
  host: z.string(),
  /**
   * The script's own time: counted by the worker from the moment it gets the request, so a
   * worker that was slow to start (a starved machine) or a wasm compile does not eat into it.
   */
  timeoutMs: z.number(),
  /** The address myIpAddress() finds its route towards (tests: 127.0.0.1); default 8.8.8.8, never contacted. */
  routeProbe: z.string().optional(),
});
export type PacRequest = z.infer<typeof pacRequestSchema>;

/** How one evaluation ended; the calling thread turns it into a PAC error or a route list. */
const pacOutcomeSchema = z.discriminatedUnion('kind', [
  /** FindProxyForURL returned a string (not parsed yet). */
  z.object({ kind: z.literal('answer'), answer: z.string() }),
  /** It returned something else; `problem` says what (a value need not survive a clone). */
  z.object({ kind: z.literal('not-a-string'), problem: z.string() }),
  /** The script did not compile, threw at its top, or has no FindProxyForURL: PAC_INVALID. */
  z.object({ kind: z.literal('invalid'), description: z.string() }),
  /** FindProxyForURL threw: PAC_EVALUATION_FAILED. */
  z.object({ kind: z.literal('failed'), description: z.string() }),
  /** The script allocated more than its VM may (PAC_MEMORY_LIMIT_BYTES): PAC_EVALUATION_FAILED naming the limit. */
  z.object({ kind: z.literal('memory-limit'), limitBytes: z.number().int().positive() }),
  /** The deadline passed inside the worker (the VM's interrupt handler). */
  z.object({ kind: z.literal('timeout') }),
  /** QuickJS itself could not be started. */
  z.object({ kind: z.literal('engine-failed'), description: z.string() }),
]);
export type PacOutcome = z.infer<typeof pacOutcomeSchema>;

/**
 * Given to a worker when it starts (`workerData`): the QuickJS module, so it can warm up (make a
 * VM and run a tiny PAC script once) before it says it is ready; that first, cold run is the
 * slow one, and it then counts as the worker's start-up, not as a script's time.
 */
export const pacWorkerDataSchema = z.object({
  warmUp: z.custom<CompiledWasm>(isCompiledWasm, { message: 'not a compiled WebAssembly module' }).optional(),
});
export type PacWorkerData = z.infer<typeof pacWorkerDataSchema>;

/** Worker → calling thread, once, when its code has loaded (so a slow start is not a hang). */
export const pacReadySchema = z.object({ type: z.literal('ready') });
export type PacReady = z.infer<typeof pacReadySchema>;

/** Worker → calling thread; `id` is the request's. */
export const pacReplySchema = z.object({
  type: z.literal('outcome'),
  id: z.number().int(),
  outcome: pacOutcomeSchema,
});
export type PacReply = z.infer<typeof pacReplySchema>;
