/**
 * PAC mode: load a PAC script (http/https/file URL, a file path, or inline) and run its
 * FindProxyForURL with `pac-resolver` inside a QuickJS (WebAssembly) sandbox: never `vm`
 * or `eval`. One deadline covers loading and the script's run (not the engine's start-up, which
 * has its own allowance); scripts are capped at 1 MiB.
 *
 * Loading is async I/O on the calling thread. Evaluation runs in a worker thread
 * (pac-sandbox.ts, through pac-worker-pool.ts), with a fresh QuickJS VM each time: QuickJS
 * checks its interrupt handler only every ~10,000 steps and never inside one built-in call,
 * so a script like `new Array(1e9).join()` would hold whatever thread runs it for tens of
 * seconds. At the deadline the worker is terminated, so the calling thread (Electron's main
 * process in the desktop app) is never held by a PAC script.
 */
import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { NetErrorDetails } from '../../shared/errors';
import { parseEndpointUrl } from '../../shared/endpoint-url';
import { MIB, type PacSource } from '../../shared/model';
import { NetFailure, errorMessage, systemErrorCode } from '../errors/net-failure';
import { systemClock, type Clock } from '../net/clock';
import { Deadline, raceDeadline } from '../net/deadline';
import type { Route } from './proxy-endpoint';
import { parsePacAnswer } from './pac-answer';
import { BAD_PORT_HINT, HTML_PAGE_HINT, badPortWords, htmlPageWords, looksLikeHtml } from './pac-fetch-words';
import { redactProxyUrlText } from './parse-proxy-url';
import { PAC_ENGINE_START_MS, PacWorkerPool } from './pac-worker-pool';
import { startPacWorker } from './pac-worker-start';
import { quickJsModule, type CompiledWasm } from './quickjs-wasm';

const MAX_PAC_BYTES = 1024 * 1024;

const pacWorkers = new PacWorkerPool({ start: (warmUp) => startPacWorker(warmUp) });

/** Stops the idle PAC worker (it is unref'd, so this is for tests and tidy shutdowns). */
export function disposePacWorkers(): Promise<void> {
  return pacWorkers.dispose();
}

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
 * `timeoutMs` covers fetching the script and running it, not the PAC engine's start-up (the
 * QuickJS compile, a worker's start and warm-up: bounded by PAC_ENGINE_START_MS on their own).
 * `workers` and `clock` are for tests (a pool whose workers misbehave, fake time).
 */
export async function evaluatePac(
  source: PacSource,
  url: string,
  host: string,
  timeoutMs: number,
  workers: PacWorkerPool = pacWorkers,
  clock: Clock = systemClock,
): Promise<PacEvaluation> {
  const deadline = new Deadline(timeoutMs, undefined, clock);
  const { script, origin } = await loadPacScript(source, deadline);
  const answer = await runFindProxyForUrl(workers, script, origin, url, host, deadline);
  const parsed = parsePacAnswer(answer);
  if (!parsed.ok) throw notAProxyList(origin, parsed.problem);
  return { answer, routes: parsed.routes, notes: parsed.notes, origin };
}

// ---------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------

interface LoadedScript {
  script: string;
  origin: string;
}

async function loadPacScript(source: PacSource, deadline: Deadline): Promise<LoadedScript> {
  switch (source.kind) {
    case 'script':
      if (Buffer.byteLength(source.script) > MAX_PAC_BYTES) {
        throw fetchFailure('the inline PAC script', 'it is larger than 1 MiB');
      }
      return { script: source.script, origin: 'inline script' };
    case 'file':
      return { script: await readPacFile(source.path, deadline), origin: `file ${source.path}` };
    case 'url':
      return loadFromUrl(source.url, deadline);
  }
}

async function loadFromUrl(text: string, deadline: Deadline): Promise<LoadedScript> {
  if (/^file:/i.test(text.trim())) return loadFromFileUrl(text.trim(), deadline);
  // The same parser that decides whether a saved proxy password may follow this PAC file.
  const parsed = parseEndpointUrl(text, 'pac');
  if (!parsed.ok) {
    throw fetchFailure(`the PAC URL ${JSON.stringify(redactProxyUrlText(text.slice(0, 200)))}`, `${parsed.problem} (give a file path as a file source)`);
  }
  const { href, username, password } = parsed.endpoint;
  const credentials = username === undefined ? undefined : { username, password: password ?? '' };
  return { script: await fetchPac(href, credentials, deadline), origin: href };
}

async function loadFromFileUrl(text: string, deadline: Deadline): Promise<LoadedScript> {
  let path: string;
  try {
    path = fileURLToPath(new URL(text));
  } catch (error) {
    throw fetchFailure(`the PAC file ${JSON.stringify(text.slice(0, 200))}`, 'it is not a local file URL', { causeMessage: errorMessage(error) });
  }
  return { script: await readPacFile(path, deadline), origin: `file ${path}` };
}

/** Fetches `href` (no credentials in it); `credentials` go as Basic auth, since fetch refuses user:password in a URL. */
async function fetchPac(href: string, credentials: { username: string; password: string } | undefined, deadline: Deadline): Promise<string> {
  const what = `the PAC file ${href}`;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, deadline.remaining());
  try {
    const response = await fetch(href, {
      signal: controller.signal,
      redirect: 'follow',
      headers: credentials === undefined ? {} : { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` },
    });
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw fetchFailure(what, `the server answered ${status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > MAX_PAC_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw fetchFailure(what, `it is ${declared} bytes, more than 1 MiB`);
    }
    const body = await readCappedBody(response, what);
    // A login or captive portal answers 200 with its page: say so, not "Unexpected token <".
    const contentType = response.headers.get('content-type');
    if (looksLikeHtml(body, contentType)) throw fetchFailure(what, htmlPageWords(body, status, contentType), {}, HTML_PAGE_HINT);
    return body;
  } catch (error) {
    if (error instanceof NetFailure) throw error;
    if (timedOut) throw fetchFailure(what, `it did not arrive within ${deadline.ms} ms`, { timeoutMs: deadline.ms });
    // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND, a TLS error) as its `cause`.
    const cause = error instanceof Error ? error.cause : undefined;
    // fetch refuses the Fetch standard's bad ports (9, 25, 6000…) before connecting, saying only "bad port".
    if (cause instanceof Error && cause.message === 'bad port') {
      throw fetchFailure(what, badPortWords(href), { causeMessage: cause.message }, BAD_PORT_HINT);
    }
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
      throw fetchFailure(what, 'it is larger than 1 MiB');
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
    if (info.size > MAX_PAC_BYTES) throw fetchFailure(what, `it is ${info.size} bytes, more than 1 MiB`, { file: path });
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_PAC_BYTES + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        // The file grew after stat.
        if (length > MAX_PAC_BYTES) throw fetchFailure(what, 'it is larger than 1 MiB', { file: path });
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

/** `hint` replaces the catalog's when it would mislead (a port browsers refuse too). */
function fetchFailure(what: string, problem: string, details: NetErrorDetails = {}, hint?: string): NetFailure {
  const message = `${capitalise(what)} could not be loaded: ${problem}.`;
  return NetFailure.of('resolve', 'PAC_FETCH_FAILED', details, hint === undefined ? { message } : { message, hint });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------

/** FindProxyForURL's answer when it is a string; every other ending is a NetFailure. */
async function runFindProxyForUrl(
  workers: PacWorkerPool,
  script: string,
  origin: string,
  url: string,
  host: string,
  deadline: Deadline,
): Promise<string> {
  const timeout = (): NetFailure =>
    NetFailure.of(
      'resolve',
      'PAC_EVALUATION_FAILED',
      { timeoutMs: deadline.ms },
      { message: `The PAC script (${origin}) did not finish within ${deadline.ms} ms.` },
    );

  // What loading left is the script's own time, counted in its worker from the request on; the
  // engine's start-up below (compile, worker start and warm-up) has its own allowance.
  const scriptMs = Math.max(1, deadline.remaining());
  const startBy = new Deadline(PAC_ENGINE_START_MS, undefined, deadline.clock);
  let wasm: CompiledWasm;
  try {
    wasm = await raceDeadline(quickJsModule(), startBy, () => engineNotStarted(origin, PAC_ENGINE_START_MS));
  } catch (error) {
    if (error instanceof NetFailure) throw error;
    throw engineFailure(errorMessage(error));
  }

  const result = await workers.run({ wasm, script, url, host, timeoutMs: scriptMs });
  if (result.kind === 'timeout') throw timeout();
  if (result.kind === 'not-started') throw engineNotStarted(origin, result.waitedMs);
  if (result.kind === 'crashed') {
    throw NetFailure.of('resolve', 'PAC_EVALUATION_FAILED', { causeMessage: result.cause }, {
      message: `The PAC engine stopped while running the PAC script (${origin}): ${result.cause}.`,
    });
  }
  const outcome = result.outcome;
  switch (outcome.kind) {
    case 'answer':
      return outcome.answer;
    case 'not-a-string':
      throw notAProxyList(origin, outcome.problem);
    case 'invalid':
      throw NetFailure.of('resolve', 'PAC_INVALID', { causeMessage: outcome.description }, {
        message: `The PAC script (${origin}) ${invalidWords(outcome.description)}: ${outcome.description}.`,
      });
    case 'failed':
      throw NetFailure.of('resolve', 'PAC_EVALUATION_FAILED', { causeMessage: outcome.description }, {
        message: `The PAC script (${origin}) failed: ${outcome.description}.`,
      });
    case 'memory-limit':
      throw NetFailure.of('resolve', 'PAC_EVALUATION_FAILED', { causeMessage: `out of memory (limit ${outcome.limitBytes} bytes)` }, {
        message: `The PAC script (${origin}) was stopped at its memory limit of ${formatMiB(outcome.limitBytes)}: it allocates more than a PAC script may.`,
      });
    case 'timeout':
      throw timeout();
    case 'engine-failed':
      throw engineFailure(outcome.description);
  }
}

/**
 * Which of the three ways a script is invalid happened, from pac-resolver's words: its parser's
 * "Line 2: Unexpected end of input", no function named FindProxyForURL, or its top-level code threw.
 */
function invalidWords(description: string): string {
  if (/^(Line \d+: |SyntaxError: )/.test(description)) return 'could not be compiled';
  if (/FindProxyForURL is not defined|named `FindProxyForURL`/.test(description)) return 'has no FindProxyForURL function';
  return 'threw while it was loaded, before FindProxyForURL was called';
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / MIB) * 10) / 10} MiB`;
}

function notAProxyList(origin: string, problem: string): NetFailure {
  return NetFailure.of(
    'resolve',
    'PAC_EVALUATION_FAILED',
    {},
    { message: `The PAC script (${origin}) returned something that is not a proxy list: ${problem}.` },
  );
}

/** The engine was not ready in time: the script never ran, so this is not the script's timeout. */
function engineNotStarted(origin: string, waitedMs: number): NetFailure {
  return NetFailure.of('resolve', 'PAC_EVALUATION_FAILED', { causeMessage: `the PAC engine did not start within ${waitedMs} ms` }, {
    message: `The PAC engine did not start within ${Math.round(waitedMs / 1000)} s (the machine may be very busy); the PAC script (${origin}) was not run.`,
  });
}

function engineFailure(cause: string): NetFailure {
  return NetFailure.of('resolve', 'PAC_EVALUATION_FAILED', { causeMessage: cause }, {
    message: 'The PAC engine (QuickJS) could not be started.',
  });
}
