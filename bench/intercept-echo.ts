/**
 * (9) A 16 KB echo through the intercepting proxy vs the same client through Squid alone.
 *
 * Both routes end at the same wss:// echo server (its own process, bench/tls-echo-child.mjs,
 * certificate from the test CA) and start at the same Node `ws` client in this process with an
 * HTTPS_PROXY-style agent and a window of messages in flight:
 *  - intercept: `tunnelscope intercept --upstream none` as a process (the product as users run
 *    it: the built CLI, see FROM_SOURCES; without --json: nothing printed per frame), the client
 *    trusting the intercept CA. TLS is
 *    terminated there, the upstream leg is an engine session (captured both ways), TLS again
 *    to the server;
 *  - Squid: a real Squid (CONNECT tunnel), the client's TLS straight to the server;
 *  - a TLS pipe (bench/tls-pipe-child.mjs): a plain Node proxy that terminates the client's TLS
 *    and opens its own to the server, piping bytes: what the second TLS termination costs by
 *    itself (Squid passes TLS through), so the reader sees what share of the gap is ours.
 * Each round runs the three back to back (the order rotates) and gives one ratio each; the
 * figures are the medians of the rounds' ratios. On Linux a further row gives the CPU time the
 * same echoes cost on each route (this process, the echo server, and the proxy, from
 * /proc/<pid>/stat): a figure the machine's load moves far less than the wall clock.
 * Skipped, saying why, without Squid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TLSSocket } from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import WebSocket from 'ws';
import { openInterceptCa } from '../src-main/core/intercept/open-intercept-ca';
import { testCa, trustedServer } from '../test/support/certs';
import { squidMissing, startSquid, type RunningSquid } from '../test/support/squid';
import { formatNumber, mbPerSecond, median, type BenchRow } from './stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 16 * 1024;
const COUNT = 1500;
const WINDOW = 16;
const WARMUP_RUNS = 1;
const ROUNDS = 5;
const TARGET = 0.8;
const ROUTES = ['intercept', 'squid', 'pipe'] as const;
type Route = (typeof ROUTES)[number];
/** Starting the intercept (tsx compiles the CLI at start) takes long on a loaded machine. */
const START_MS = 180_000;
/** /proc's clock ticks per second (USER_HZ): 100 on Linux. */
const CLOCK_TICKS = 100;
/**
 * The intercept runs as users run it: the built CLI (what bin/tunnelscope.mjs loads), built
 * from this tree into the bench's own folder. TUNNELSCOPE_BENCH_INTERCEPT_FROM_SOURCES=1 runs
 * it through tsx instead (as `npm run cli` does: a larger heap, the sources compiled at load,
 * their source maps kept), for comparison.
 */
const FROM_SOURCES = process.env.TUNNELSCOPE_BENCH_INTERCEPT_FROM_SOURCES === '1';
/** The key file, not the keyring: the bench's data folder is thrown away. */
const ENV = { ...process.env, TUNNELSCOPE_SECRET_STORE: 'keyfile', NO_COLOR: '1' };

export async function benchIntercept(): Promise<BenchRow[]> {
  const name = `(9) 16 KB echo through the intercepting proxy (TLS both sides)`;
  if (squidMissing !== undefined) return [{ name, value: 'skipped', target: `≥ ${TARGET} of Squid alone`, met: 'skipped', note: squidMissing }];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-bench-intercept-'));
  const children: ChildProcess[] = [];
  let squid: RunningSquid | undefined;
  try {
    const server = trustedServer();
    const certFile = path.join(dir, 'server.pem');
    const keyFile = path.join(dir, 'server.key');
    const caFile = path.join(dir, 'test-ca.pem');
    fs.writeFileSync(certFile, server.cert);
    fs.writeFileSync(keyFile, server.key);
    fs.writeFileSync(caFile, testCa().cert);
    const echo = spawn(process.execPath, [path.join(ROOT, 'bench/tls-echo-child.mjs'), certFile, keyFile], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(echo);
    const echoPort = Number((await firstMatch(echo, 'stdout', /\{"port":(\d+)\}/)) ?? 0);
    const serverLegs = serverLegTls(echo);
    const dataDir = path.join(dir, 'data');
    const ca = await openInterceptCa(dataDir, ENV);
    const cliArgs = FROM_SOURCES ? ['--import', 'tsx', path.join(ROOT, 'src-main/cli/index.ts')] : [await buildCli(dir)];
    const intercept = spawn(process.execPath, [...profileFlags('INTERCEPT'), ...cliArgs, 'intercept', '--port', '0', '--upstream', 'none', '--ca', caFile, '--data-dir', dataDir], {
      cwd: ROOT,
      env: ENV,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(intercept);
    // Profiled (--trace-gc prints to stdout): what it prints goes to stderr; otherwise nothing is printed per frame anyway.
    if (profileFlags('INTERCEPT').length > 0) intercept.stdout?.pipe(process.stderr);
    else intercept.stdout?.resume();
    const interceptUrl = await firstMatch(intercept, 'stderr', /Intercepting on (http:\/\/127\.0\.0\.1:\d+)/);
    const pipe = spawn(process.execPath, [...profileFlags('PIPE'), path.join(ROOT, 'bench/tls-pipe-child.mjs'), certFile, keyFile, caFile], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(pipe);
    const pipePort = Number((await firstMatch(pipe, 'stdout', /\{"port":(\d+)\}/)) ?? 0);
    squid = await startSquid({ connectPorts: 'any' });
    const target = `wss://localhost:${echoPort}/bench`;
    const routes: Record<Route, { proxy: string; ca: string }> = {
      intercept: { proxy: interceptUrl ?? '', ca: ca.certPem },
      squid: { proxy: squid.url, ca: testCa().cert },
      pipe: { proxy: `http://127.0.0.1:${pipePort}`, ca: testCa().cert },
    };
    const clientTls = new Map<Route, Set<string>>(ROUTES.map((route) => [route, new Set<string>()]));
    const serverTls = new Map<Route, Set<string>>(ROUTES.map((route) => [route, new Set<string>()]));
    /** One echo run; the TLS of its first leg (the client's) and its last (what reached the server) are noted for the route. */
    const run = async (route: Route): Promise<number> => {
      const rate = await echoRun(target, routes[route], clientTls.get(route));
      serverTls.get(route)?.add(serverLegs.last());
      return rate;
    };
    for (let i = 0; i < WARMUP_RUNS; i++) for (const route of ROUTES) await run(route);
    const rates: Record<Route, number[]> = { intercept: [], squid: [], pipe: [] };
    const ratios = { intercept: [] as number[], pipe: [] as number[], interceptToPipe: [] as number[] };
    const cpu: Record<Route | 'interceptAlone' | 'pipeAlone', number[]> = { intercept: [], squid: [], pipe: [], interceptAlone: [], pipeAlone: [] };
    const squidPid = Number(fs.readFileSync(path.join(squid.dir, 'squid.pid'), 'utf8').trim());
    const pids: Record<Route, number> = { intercept: intercept.pid ?? 0, squid: squidPid, pipe: pipe.pid ?? 0 };
    const measured = async (route: Route): Promise<number> => {
      const proxyPid = pids[route];
      const before = { self: process.cpuUsage(), echo: cpuMs(echo.pid ?? 0), proxy: cpuMs(proxyPid) };
      const rate = await run(route);
      const self = process.cpuUsage(before.self);
      const proxyCpu = cpuMs(proxyPid) - before.proxy;
      const total = (self.user + self.system) / 1000 + (cpuMs(echo.pid ?? 0) - before.echo) + proxyCpu;
      cpu[route].push((total * 1000) / COUNT);
      if (route === 'intercept') cpu.interceptAlone.push((proxyCpu * 1000) / COUNT);
      if (route === 'pipe') cpu.pipeAlone.push((proxyCpu * 1000) / COUNT);
      return rate;
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Each route goes first in turn: the one after a warm start is not always the same.
      const order = [...ROUTES.slice(round % ROUTES.length), ...ROUTES.slice(0, round % ROUTES.length)];
      const got: Partial<Record<Route, number>> = {};
      for (const route of order) got[route] = await measured(route);
      const { intercept: i = 0, squid: s = 1, pipe: p = 1 } = got;
      rates.intercept.push(i);
      rates.squid.push(s);
      rates.pipe.push(p);
      ratios.intercept.push(i / s);
      ratios.pipe.push(p / s);
      ratios.interceptToPipe.push(i / p);
    }
    const ratio = median(ratios.intercept);
    const cpuKnown = [cpu.intercept, cpu.squid, cpu.pipe].every((values) => values.every(Number.isFinite));
    const cpuOf = (route: Route): number => median(cpu[route]);
    // Of what the intercept costs over Squid, the share a bare second TLS termination costs too.
    const tlsShare = (cpuOf('pipe') - cpuOf('squid')) / (cpuOf('intercept') - cpuOf('squid'));
    const cpuRow: BenchRow[] = cpuKnown
      ? [
          {
            name: '(9) CPU time for the same echoes, all processes',
            value: `${formatNumber(cpuOf('intercept'))} µs/msg through the intercept`,
            baseline: `${formatNumber(cpuOf('squid'))} µs/msg through Squid`,
            ratio: cpuOf('squid') / cpuOf('intercept'),
            target: '',
            met: 'reference',
            note:
              `client, echo server and proxy together, per 16 KB message echoed; the intercept process alone ${formatNumber(median(cpu.interceptAlone))} µs/msg; ` +
              `through the TLS pipe ${formatNumber(cpuOf('pipe'))} µs/msg (the pipe alone ${formatNumber(median(cpu.pipeAlone))}): ` +
              `of the ${formatNumber(cpuOf('intercept') - cpuOf('squid'))} µs/msg the intercept adds to Squid, ${formatNumber(cpuOf('pipe') - cpuOf('squid'))} (${formatNumber(100 * tlsShare)} %) is the second TLS termination any such proxy pays, the rest is the relay and the capture`,
          },
        ]
      : [];
    return [
      {
        name,
        value: `${formatNumber(median(rates.intercept), 1)} MB/s`,
        baseline: `${formatNumber(median(rates.squid), 1)} MB/s through Squid alone`,
        ratio,
        target: `≥ ${TARGET} of Squid alone`,
        met: ratio >= TARGET,
        note:
          `${COUNT} messages of 16 KB, ${WINDOW} in flight, ${ROUNDS} rounds (median ratio); the intercept (${FROM_SOURCES ? 'from the sources through tsx' : 'the built CLI'}) decrypts, records and re-encrypts every message ` +
          `(frames no breakpoint could hold go across as the bytes they came in, each still captured)` +
          (ratio < TARGET ? `; what is lost is CPU: the client, the intercept process (two TLS legs, the relay, the capture), the echo server and Squid share ${os.cpus().length} cores, and a second TLS termination alone (the TLS pipe) reaches ${formatNumber(median(ratios.pipe), 2)} of Squid` : ''),
      },
      {
        name: '(9) the same through a bare TLS-terminating pipe (Node)',
        value: `${formatNumber(median(rates.pipe), 1)} MB/s`,
        baseline: `${formatNumber(median(rates.squid), 1)} MB/s through Squid alone`,
        ratio: median(ratios.pipe),
        target: '',
        met: 'reference',
        note: `TLS terminated and opened again, bytes piped, nothing parsed or recorded: the part of the gap any TLS-inspecting proxy has; the client's TLS on each route: ${tlsList(clientTls)}; what reached the echo server on each (Squid: the client's own; the pipe and the intercept: their second leg): ${tlsList(serverTls)}`,
      },
      {
        name: '(9) the intercept vs the bare TLS pipe',
        value: `${formatNumber(median(rates.intercept), 1)} MB/s`,
        baseline: `${formatNumber(median(rates.pipe), 1)} MB/s through the TLS pipe`,
        ratio: median(ratios.interceptToPipe),
        target: '',
        met: 'reference',
        note: 'what the WebSocket relay and the capture cost on top of the TLS termination',
      },
      ...cpuRow,
    ];
  } finally {
    await squid?.stop();
    for (const child of children) await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds the Node entry points (vite.node.config.ts) into `<dir>/cli`, not out/node (another
 * build may be using it), with node_modules linked beside it so its imports resolve as in the
 * tree. Returns the built CLI's path.
 */
async function buildCli(dir: string): Promise<string> {
  const outDir = path.join(dir, 'cli');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const vite = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.node.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  vite.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => vite.once('exit', resolve));
  const cli = path.join(outDir, 'cli.js');
  if (code !== 0 || !fs.existsSync(cli)) throw new Error(`building the CLI failed (vite exited ${String(code)}): ${errors.slice(0, 500)}`);
  return cli;
}

/**
 * Node flags for the intercept or the pipe process only, from TUNNELSCOPE_BENCH_INTERCEPT_FLAGS or
 * TUNNELSCOPE_BENCH_PIPE_FLAGS (space-separated), to profile it where it runs: e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof --trace-gc`.
 */
function profileFlags(which: 'INTERCEPT' | 'PIPE'): string[] {
  return (process.env[`TUNNELSCOPE_BENCH_${which}_FLAGS`] ?? '').split(' ').filter((flag) => flag !== '');
}

/** Each route's TLS versions and ciphers, for the note. */
function tlsList(byRoute: Map<Route, Set<string>>): string {
  return ROUTES.map((route) => `${route} ${[...(byRoute.get(route) ?? [])].join(', ')}`).join('; ');
}

/** The echo server's `{"tls":…}` line per connection it accepted; `last()` is the newest (the run just done opened it). */
function serverLegTls(echo: ChildProcess): { last: () => string } {
  let newest = '?';
  let buffered = '';
  echo.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^\{"tls":"([^"]*)"\}$/.exec(line);
      if (match?.[1] !== undefined) newest = match[1];
    }
  });
  return { last: () => newest };
}

/** A process's CPU time so far in milliseconds (user + system, from /proc/<pid>/stat); NaN where there is no /proc. */
function cpuMs(pid: number): number {
  try {
    // The fields after the command name (which may hold spaces) start at the state: utime and stime are the 12th and 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** One timed run on a fresh connection: MB/s, both directions counted. `tls` gets the client leg's protocol and cipher. */
async function echoRun(url: string, route: { proxy: string; ca: string }, tls?: Set<string>): Promise<number> {
  const client = new WebSocket(url, { agent: new HttpsProxyAgent(route.proxy), ca: route.ca, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
    client.once('unexpected-response', (_request, response) => reject(new Error(`the proxy answered ${response.statusCode ?? '?'}`)));
  });
  const socket = (client as unknown as { _socket?: TLSSocket })._socket;
  socket?.setNoDelay(true);
  // The same TLS on every route's client leg, or the comparison says otherwise.
  if (socket) tls?.add(`${socket.getProtocol() ?? '?'} ${socket.getCipher().name}`);
  const payload = Buffer.alloc(SIZE, 0x78).toString('latin1');
  let sent = 0;
  let received = 0;
  const started = performance.now();
  const ms = await new Promise<number>((resolve, reject) => {
    client.on('message', () => {
      received += 1;
      if (sent < COUNT) {
        sent += 1;
        client.send(payload);
      }
      if (received === COUNT) resolve(performance.now() - started);
    });
    client.once('close', () => reject(new Error(`the connection closed after ${received} echoes`)));
    for (; sent < Math.min(WINDOW, COUNT); sent++) client.send(payload);
  });
  client.removeAllListeners('close');
  await new Promise<void>((resolve) => {
    client.once('close', () => resolve());
    client.close(1000);
  });
  return mbPerSecond(SIZE * COUNT * 2, ms);
}

/** The first capture of `pattern` in a child's output, or a rejection naming what it printed. */
function firstMatch(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${String(pattern)} within ${START_MS} ms: ${text.slice(0, 500)}`)), START_MS);
    child[stream]?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = pattern.exec(text);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`it exited (${String(code)}) before ${String(pattern)}: ${text.slice(0, 500)}`)));
  });
}

/** Ends a child we started: Ctrl-C (the intercept's clean stop) or stdin closed, then SIGKILL after 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.stdin?.end();
    child.kill('SIGINT');
  });
}
