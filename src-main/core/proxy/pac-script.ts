/**
 * PAC mode: load a PAC script (http/https/file URL, a file path, or inline) and run its
 * FindProxyForURL with `pac-resolver` inside a QuickJS (WebAssembly) sandbox: never `vm`
 * or `eval`. One deadline covers loading and evaluation; scripts are capped at 1 MB.
 *
 * Each evaluation gets a fresh QuickJS VM (a PAC script defines globals, so a shared VM
 * would let one script see another's), created from a WebAssembly module compiled once per
 * process. The VM's interrupt handler stops a script that runs past the deadline, so
 * `while (true) {}` ends in PAC_EVALUATION_FAILED instead of hanging the process.
 *
 * Limit: QuickJS polls the handler only every ~10,000 calls or loop iterations, and never
 * inside one built-in call, so a script built to make each step expensive (e.g.
 * `new Array(1e9).join()`) holds this thread until that step ends (measured: ~20 s). Only a
 * worker thread that can be terminated would bound that.
 */
import { createRequire } from 'node:module';
import { open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPacResolver, sandbox } from 'pac-resolver';
import { QuickJS, type QuickJSOptions } from 'quickjs-wasi';
import type { NetErrorDetails } from '../../shared/errors';
import type { PacSource } from '../../shared/model';
import { NetFailure, errorMessage, systemErrorCode } from '../errors/net-failure';
import { Deadline, raceDeadline } from '../net/deadline';
import type { Route } from './proxy-endpoint';
import { parsePacAnswer } from './pac-answer';

export const MAX_PAC_BYTES = 1024 * 1024;
/** Memory a PAC script may allocate inside its VM; far more than any real one needs. */
const PAC_MEMORY_LIMIT = 32 * 1024 * 1024;

export interface PacEvaluation {
  /** FindProxyForURL's answer, as returned. */
  answer: string;
  routes: Route[];
  /** Notes from reading the answer (skipped entries, SOCKS read as SOCKS5). */
  notes: string[];
  /** Where the script came from, for the reason: `file /etc/proxy.pac`, a URL, `inline script`. */
  origin: string;
}

/**
 * Runs the PAC script from `source` for `url` (the URL the script sees) and `host`.
 * Throws NetFailure('resolve', PAC_FETCH_FAILED | PAC_INVALID | PAC_EVALUATION_FAILED).
 */
export async function evaluatePac(source: PacSource, url: string, host: string, timeoutMs: number): Promise<PacEvaluation> {
  const deadline = new Deadline(timeoutMs);
  const { script, origin } = await loadPacScript(source, deadline);
  const answer = await runFindProxyForUrl(script, origin, url, host, deadline);
  const parsed = parsePacAnswer(answer);
  if (!parsed.ok) {
    throw NetFailure.of(
      'resolve',
      'PAC_EVALUATION_FAILED',
      {},
      { message: `The PAC script (${origin}) returned something that is not a proxy list: ${parsed.problem}.` },
    );
  }
  // parsePacAnswer accepted it, so it is a string.
  return { answer: typeof answer === 'string' ? answer : '', routes: parsed.routes, notes: parsed.notes, origin };
}

// ---------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------

interface LoadedScript {
  script: string;
  origin: string;
}

export async function loadPacScript(source: PacSource, deadline: Deadline): Promise<LoadedScript> {
  switch (source.kind) {
    case 'script':
      if (Buffer.byteLength(source.script) > MAX_PAC_BYTES) {
        throw fetchFailure('the inline PAC script', 'it is larger than 1 MB');
      }
      return { script: source.script, origin: 'inline script' };
    case 'file':
      return { script: await readPacFile(source.path, deadline), origin: `file ${source.path}` };
    case 'url':
      return loadFromUrl(source.url, deadline);
  }
}

async function loadFromUrl(text: string, deadline: Deadline): Promise<LoadedScript> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw fetchFailure(`the PAC URL ${JSON.stringify(text.slice(0, 200))}`, 'it is not a URL (give a file path as a file source)');
  }
  const shown = redactUrl(url);
  if (url.protocol === 'file:') {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch (error) {
      throw fetchFailure(`the PAC file ${shown}`, 'it is not a local file URL', { causeMessage: errorMessage(error) });
    }
    return { script: await readPacFile(path, deadline), origin: `file ${path}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fetchFailure(`the PAC file ${shown}`, `${url.protocol}// URLs are not supported (use http://, https:// or file://)`);
  }
  return { script: await fetchPac(url, shown, deadline), origin: shown };
}

async function fetchPac(url: URL, shown: string, deadline: Deadline): Promise<string> {
  const what = `the PAC file ${shown}`;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, deadline.remaining());
  try {
    const response = await fetch(withoutCredentials(url), {
      signal: controller.signal,
      redirect: 'follow',
      headers: basicAuthorization(url),
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      throw fetchFailure(what, `the server answered ${status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > MAX_PAC_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw fetchFailure(what, `it is ${declared} bytes, more than 1 MB`);
    }
    return await readCappedBody(response, what);
  } catch (error) {
    if (error instanceof NetFailure) throw error;
    if (timedOut) throw fetchFailure(what, `it did not arrive within ${deadline.ms} ms`, { timeoutMs: deadline.ms });
    // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND, a TLS error) as its `cause`.
    const cause = error instanceof Error ? error.cause : undefined;
    const code = systemErrorCode(cause);
    throw fetchFailure(what, code === undefined ? errorMessage(cause ?? error) : `the connection failed (${code})`, {
      ...(code === undefined ? {} : { cause: code }),
      causeMessage: errorMessage(cause ?? error),
    });
  } finally {
    clearTimeout(timer);
  }
}

async function readCappedBody(response: Response, what: string): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_PAC_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw fetchFailure(what, 'it is larger than 1 MB');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readPacFile(path: string, deadline: Deadline): Promise<string> {
  const what = `the PAC file ${path}`;
  const work = async (): Promise<string> => {
    // stat first: opening a FIFO would block, and /dev/zero has no size but never ends.
    const info = await stat(path);
    if (!info.isFile()) throw fetchFailure(what, 'it is not a regular file', { file: path });
    if (info.size > MAX_PAC_BYTES) throw fetchFailure(what, `it is ${info.size} bytes, more than 1 MB`, { file: path });
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_PAC_BYTES + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        // The file grew after stat.
        if (length > MAX_PAC_BYTES) throw fetchFailure(what, 'it is larger than 1 MB', { file: path });
      }
      return buffer.subarray(0, length).toString('utf8');
    } finally {
      await handle.close();
    }
  };
  try {
    return await raceDeadline(work(), deadline, () =>
      fetchFailure(what, `it could not be read within ${deadline.ms} ms`, { file: path, timeoutMs: deadline.ms }),
    );
  } catch (error) {
    if (error instanceof NetFailure) throw error;
    const code = systemErrorCode(error);
    throw fetchFailure(what, FILE_PROBLEMS[code ?? ''] ?? 'it could not be read', {
      file: path,
      ...(code === undefined ? {} : { cause: code }),
      causeMessage: errorMessage(error),
    });
  }
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
};

function fetchFailure(what: string, problem: string, details: NetErrorDetails = {}): NetFailure {
  return NetFailure.of('resolve', 'PAC_FETCH_FAILED', details, { message: `${capitalise(what)} could not be loaded: ${problem}.` });
}

function redactUrl(url: URL): string {
  return withoutCredentials(url).href;
}

function withoutCredentials(url: URL): URL {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy;
}

/** fetch refuses URLs with user:password (and says so, quoting them): send them as Basic auth. */
function basicAuthorization(url: URL): Record<string, string> {
  if (url.username === '' && url.password === '') return {};
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const token = Buffer.from(`${decode(url.username)}:${decode(url.password)}`).toString('base64');
  return { Authorization: `Basic ${token}` };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------

type CompiledWasm = NonNullable<QuickJSOptions['wasm']>;

// Node has the WebAssembly global, but this project's TypeScript libs (ES2023 + @types/node)
// do not declare it as a value; this is the one function used.
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledWasm> };

let wasmModule: Promise<CompiledWasm> | undefined;

/** QuickJS compiled once per process; a failed load is retried next time. */
function quickJsModule(): Promise<CompiledWasm> {
  wasmModule ??= compileQuickJs().catch((error: unknown) => {
    wasmModule = undefined;
    throw error;
  });
  return wasmModule;
}

async function compileQuickJs(): Promise<CompiledWasm> {
  // quickjs-wasi does not export its .wasm file; it sits next to its package.json.
  const packageJson = createRequire(import.meta.url).resolve('quickjs-wasi/package.json');
  return WebAssembly.compile(await readFile(join(dirname(packageJson), 'quickjs.wasm')));
}

async function runFindProxyForUrl(script: string, origin: string, url: string, host: string, deadline: Deadline): Promise<unknown> {
  const timeout = (): NetFailure =>
    NetFailure.of(
      'resolve',
      'PAC_EVALUATION_FAILED',
      { timeoutMs: deadline.ms },
      { message: `The PAC script (${origin}) did not finish within ${deadline.ms} ms.` },
    );

  let vm: QuickJS;
  try {
    const wasm = await raceDeadline(quickJsModule(), deadline, timeout);
    vm = await QuickJS.create({
      wasm,
      memoryLimit: PAC_MEMORY_LIMIT,
      // Called while the script runs: past the deadline, QuickJS throws "interrupted".
      interruptHandler: () => Date.now() >= deadline.at,
    });
  } catch (error) {
    if (error instanceof NetFailure) throw error;
    throw NetFailure.of('resolve', 'PAC_EVALUATION_FAILED', { causeMessage: errorMessage(error) }, {
      message: 'The PAC engine (QuickJS) could not be started.',
    });
  }

  const bridge = new BridgeFailures();
  try {
    let findProxyForUrl: (url: string, host: string) => Promise<unknown>;
    try {
      findProxyForUrl = createPacResolver(vm, script, { filename: 'proxy.pac', sandbox: guardedSandbox(bridge) });
    } catch (error) {
      if (deadline.remaining() === 0) throw timeout();
      throw NetFailure.of('resolve', 'PAC_INVALID', { causeMessage: describeScriptError(error) }, {
        message: `The PAC script (${origin}) could not be compiled or has no FindProxyForURL function: ${describeScriptError(error)}.`,
      });
    }
    try {
      return await raceDeadline(Promise.race([findProxyForUrl(url, host), bridge.failed]), deadline, timeout);
    } catch (error) {
      if (error instanceof NetFailure) throw error;
      if (deadline.remaining() === 0) throw timeout();
      throw NetFailure.of('resolve', 'PAC_EVALUATION_FAILED', { causeMessage: describeScriptError(error) }, {
        message: `The PAC script (${origin}) failed: ${describeScriptError(error)}.`,
      });
    }
  } finally {
    bridge.close();
    // Safe even with a DNS lookup still pending: its bridge callback is guarded below.
    vm.dispose();
  }
}

function describeScriptError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

/**
 * pac-resolver's async built-ins (dnsResolve, isResolvable, isInNet, myIpAddress) are bridged
 * into QuickJS by degenerator, which does `hostPromise.then(() => { …; vm.executePendingJobs() })`
 * and drops the promise that `then` returns. When the script is interrupted (or throws out of
 * a job) inside that callback, that dropped promise rejects: an unhandled rejection, and the
 * evaluation would never settle. So each async built-in is wrapped to return a BridgedPromise
 * whose `then` observes its own derived promise and reports the failure here instead.
 */
class BridgeFailures {
  readonly failed: Promise<never>;
  private rejectFailed: (error: unknown) => void = () => undefined;
  private open = true;

  constructor() {
    this.failed = new Promise<never>((_resolve, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => undefined);
  }

  report(error: unknown): void {
    if (this.open) this.rejectFailed(error);
  }

  close(): void {
    this.open = false;
  }
}

class BridgedPromise<T> extends Promise<T> {
  // Promises derived by `then` are plain, so this class's `then` runs only for the bridge.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  failures: BridgeFailures | undefined;

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const derived = super.then(onFulfilled, onRejected);
    const failures = this.failures;
    derived.catch((error: unknown) => failures?.report(error));
    return derived;
  }
}

const ASYNC_BUILTINS = ['dnsResolve', 'isResolvable', 'isInNet', 'myIpAddress'] as const;

type SandboxFunction = (...args: unknown[]) => unknown;

function guardedSandbox(failures: BridgeFailures): Record<string, SandboxFunction> {
  const guarded: Record<string, SandboxFunction> = {
    // The default alert() writes to our console; a PAC script's debugging output is not ours.
    alert: () => undefined,
  };
  for (const name of ASYNC_BUILTINS) {
    const builtin: unknown = sandbox[name];
    if (typeof builtin !== 'function') continue;
    const wrapper = (...args: unknown[]): BridgedPromise<unknown> => {
      const promise = new BridgedPromise<unknown>((resolve, reject) => {
        Promise.resolve(Reflect.apply(builtin, undefined, args)).then(resolve, reject);
      });
      promise.failures = failures;
      return promise;
    };
    // degenerator inserts `await` before calls to functions it sees as async; a plain
    // function says so with an `async` property.
    Object.defineProperty(wrapper, 'async', { value: true });
    guarded[name] = wrapper;
  }
  return guarded;
}
