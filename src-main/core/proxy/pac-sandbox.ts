/**
 * Runs one PAC script's FindProxyForURL with `pac-resolver` inside a QuickJS (WebAssembly)
 * sandbox: never `vm` or `eval`. This code runs in a PAC worker thread (pac-worker.ts), which
 * the calling thread terminates at the deadline.
 *
 * Each evaluation gets a fresh QuickJS VM (a PAC script defines globals, so a shared VM
 * would let one script see another's). The VM's interrupt handler stops a script that runs
 * past the deadline, so `while (true) {}` ends here with a `timeout` outcome and the worker
 * stays usable. QuickJS polls that handler only every ~10,000 calls or loop iterations and
 * never inside one built-in call (`new Array(1e9).join()` runs ~20 s): that case is bounded
 * only by the calling thread terminating the worker.
 *
 * A script that allocates without end is stopped at PAC_MEMORY_LIMIT_BYTES (32 MiB) with a
 * `memory-limit` outcome: the VM's WebAssembly memory cannot grow further (quickjs-wasm.ts).
 */
import { createPacResolver, sandbox } from 'pac-resolver';
import { QuickJS } from 'quickjs-wasi';
import { errorMessage } from '../errors/net-failure';
import { systemClock, type Clock } from '../net/clock';
import { Deadline, raceDeadline } from '../net/deadline';
import { parsePacAnswer } from './pac-answer';
import { myIpAddress } from './pac-my-ip-address';
import type { PacOutcome, PacRequest } from './pac-worker-protocol';
import { PAC_MEMORY_LIMIT_BYTES } from './quickjs-wasm';

class PacDeadlinePassed extends Error {}

/**
 * Never rejects: every way the script can end is an outcome. The script's time
 * (`request.timeoutMs`) starts now, when the worker has the request: its VM, its compile by
 * pac-resolver, its top-level code, FindProxyForURL and the DNS built-ins it awaits all count.
 * `clock`: the deadline's time (tests: fake time).
 */
export async function runPacScript(request: Omit<PacRequest, 'type' | 'id'>, clock: Clock = systemClock): Promise<PacOutcome> {
  const deadline = new Deadline(request.timeoutMs, undefined, clock);

  let vm: QuickJS;
  try {
    vm = await QuickJS.create({
      wasm: request.wasm,
      // One allocation; all of them together are bounded by the module's capped memory (quickjs-wasm.ts).
      memoryLimit: PAC_MEMORY_LIMIT_BYTES,
      // Called while the script runs: past the deadline, QuickJS throws "interrupted".
      interruptHandler: () => clock.now() >= deadline.at,
    });
  } catch (error) {
    return { kind: 'engine-failed', description: errorMessage(error) };
  }

  const memory = new VmMemory(vm);
  const bridge = new BridgeFailures();
  try {
    let findProxyForUrl: (url: string, host: string) => Promise<unknown>;
    try {
      findProxyForUrl = createPacResolver(vm, request.script, { filename: 'proxy.pac', sandbox: guardedSandbox(bridge, request.routeProbe) });
    } catch (error) {
      if (deadline.remaining() === 0) return { kind: 'timeout' };
      const description = describeScriptError(error);
      if (memory.exhausted(description)) return memoryLimit();
      return { kind: 'invalid', description };
    }
    let answer: unknown;
    try {
      answer = await raceDeadline(
        Promise.race([findProxyForUrl(request.url, request.host), bridge.failed]),
        deadline,
        () => new PacDeadlinePassed(),
      );
    } catch (error) {
      if (error instanceof PacDeadlinePassed || deadline.remaining() === 0) return { kind: 'timeout' };
      const description = describeScriptError(error);
      if (memory.exhausted(description)) return memoryLimit();
      return { kind: 'failed', description };
    }
    if (typeof answer === 'string') return { kind: 'answer', answer };
    const parsed = parsePacAnswer(answer);
    return { kind: 'not-a-string', problem: parsed.ok ? 'the answer is not a string' : parsed.problem };
  } catch (error) {
    // Not expected (every step above catches its own errors): report rather than crash.
    return { kind: 'failed', description: describeScriptError(error) };
  } finally {
    bridge.close();
    // Safe even with a DNS lookup still pending: its bridge callback is guarded below.
    vm.dispose();
  }
}

function memoryLimit(): PacOutcome {
  return { kind: 'memory-limit', limitBytes: PAC_MEMORY_LIMIT_BYTES };
}

/**
 * Tells a script stopped by its memory limit from one that failed on its own. QuickJS says
 * "out of memory" when an allocation fails, unless it runs out again while building that
 * error: then it throws null, which reads as "<null>" (as a script's own `throw null` does).
 * So a failure also counts as the memory limit when the VM's memory grew by at least half of
 * the limit: no script that fails on its own comes near that.
 */
class VmMemory {
  private readonly startBytes: number;

  constructor(private readonly vm: QuickJS) {
    this.startBytes = this.bytes();
  }

  exhausted(description: string): boolean {
    return /\bout of memory\b/.test(description) || this.bytes() - this.startBytes >= PAC_MEMORY_LIMIT_BYTES / 2;
  }

  private bytes(): number {
    try {
      // quickjs-wasi marks _getMemory internal; it is the one way to read the VM's memory size.
      return this.vm._getMemory().buffer.byteLength;
    } catch {
      return 0;
    }
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
 * a job) inside that callback, that dropped promise rejects: an unhandled rejection (which
 * would kill the worker), and the evaluation would never settle. So each async built-in is
 * wrapped to return a BridgedPromise whose `then` observes its own derived promise and
 * reports the failure here instead.
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

function guardedSandbox(failures: BridgeFailures, routeProbe: string | undefined): Record<string, SandboxFunction> {
  const guarded: Record<string, SandboxFunction> = {
    // The default alert() writes to our console; a PAC script's debugging output is not ours.
    alert: () => undefined,
  };
  // pac-resolver's myIpAddress() connects to 8.8.8.8:53 and can hang behind a firewall; ours sends nothing.
  const replacements: Partial<Record<(typeof ASYNC_BUILTINS)[number], SandboxFunction>> = { myIpAddress: () => myIpAddress(routeProbe) };
  for (const name of ASYNC_BUILTINS) {
    const builtin: unknown = replacements[name] ?? sandbox[name];
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
