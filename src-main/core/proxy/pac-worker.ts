/**
 * Entry of a PAC worker thread: answers each `evaluate` request with its outcome. The
 * calling thread owns the deadline and terminates this thread when it passes, so no PAC
 * script can hold the calling thread (in the desktop app, Electron's main process).
 *
 * Built as an entry of its own (pac-worker.js in out/main and out/node); started from the
 * sources by pac-worker-start.ts.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runPacScript } from './pac-sandbox';
import { pacRequestSchema, pacWorkerDataSchema, type PacOutcome, type PacReady, type PacReply } from './pac-worker-protocol';
import type { CompiledWasm } from './quickjs-wasm';

/** A warm-up script: the same built-ins and pac-resolver paths a real one takes. */
const WARM_UP_SCRIPT = 'function FindProxyForURL(url, host) { if (isPlainHostName(host) || shExpMatch(host, "*.local")) return "DIRECT"; return "PROXY warm-up.invalid:1; DIRECT"; }';

/** Measured: the first VM of a thread and the second one (while V8 optimises QuickJS's code) are the slow ones. */
const WARM_UP_RUNS = 2;

if (parentPort === null) throw new Error('pac-worker runs only as a worker thread');
const port = parentPort;
const given = pacWorkerDataSchema.safeParse(workerData ?? {});
// Without a module to warm up with (or with one that does not check) the worker starts cold: the first script pays.
void warmUp(given.success ? given.data.warmUp : undefined).then(() => serve(port));

/**
 * Runs a tiny script once before saying ready: the first VM and the first compile in a thread
 * are several times slower than the next ones (cold code, first memory growth), and that is the
 * worker's start-up, which the pool bounds on its own, not a user's script's time.
 */
async function warmUp(wasm: CompiledWasm | undefined): Promise<void> {
  if (wasm === undefined) return;
  // Its outcome does not matter: a worker whose engine fails says so on the first real request.
  for (let run = 0; run < WARM_UP_RUNS; run++) {
    await runPacScript({ wasm, script: WARM_UP_SCRIPT, url: 'http://warm-up.invalid/', host: 'warm-up.invalid', timeoutMs: 60_000 });
  }
}

function serve(port: MessagePort): void {
  const reply = (id: number, outcome: PacOutcome): void => {
    const message: PacReply = { type: 'outcome', id, outcome };
    port.postMessage(message);
  };
  port.on('message', (message: unknown) => {
    const request = pacRequestSchema.safeParse(message);
    if (!request.success) {
      // A bug on the calling side; answer so it fails at once instead of at its deadline.
      const id = typeof message === 'object' && message !== null && 'id' in message && Number.isInteger(message.id) ? Number(message.id) : -1;
      reply(id, { kind: 'engine-failed', description: `the PAC worker got a request it does not understand: ${request.error.message}` });
      return;
    }
    void runPacScript(request.data).then((outcome) => reply(request.data.id, outcome));
  });
  const ready: PacReady = { type: 'ready' };
  port.postMessage(ready);
}
