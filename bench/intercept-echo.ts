/**
 * (9) A 16 KB echo through the intercepting proxy vs the same client through Squid alone.
 *
 * Both routes end at the same wss:// echo server (its own process, bench/tls-echo-child.mjs,
 * certificate from the test CA) and start at the same Node `ws` client in this process with an
 * HTTPS_PROXY-style agent and a window of messages in flight:
 *  - intercept: `tunnelscope intercept --upstream none` as a process (the product as users run
 *    it, without --json: nothing printed per frame), the client trusting the intercept CA. TLS is
 *    terminated there, the upstream leg is an engine session (captured both ways), TLS again
 *    to the server;
 *  - Squid: a real Squid (CONNECT tunnel), the client's TLS straight to the server.
 * Each round runs both back to back (the order alternates) and gives one ratio; the figure is
 * the median of the rounds' ratios. On Linux a second row gives the CPU time the same echoes
 * cost on each route (this process, the echo server, and the intercept or Squid, from
 * /proc/<pid>/stat): a figure the machine's load moves far less than the wall clock.
 * Skipped, saying why, without Squid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
const START_MS = 60_000;
/** /proc's clock ticks per second (USER_HZ): 100 on Linux. */
const CLOCK_TICKS = 100;
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
    const dataDir = path.join(dir, 'data');
    const ca = await openInterceptCa(dataDir, ENV);
    const intercept = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src-main/cli/index.ts'), 'intercept', '--port', '0', '--upstream', 'none', '--ca', caFile, '--data-dir', dataDir], {
      cwd: ROOT,
      env: ENV,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(intercept);
    intercept.stdout?.resume();
    const interceptUrl = await firstMatch(intercept, 'stderr', /Intercepting on (http:\/\/127\.0\.0\.1:\d+)/);
    squid = await startSquid({ connectPorts: 'any' });
    const target = `wss://localhost:${echoPort}/bench`;
    const routes = {
      intercept: { proxy: interceptUrl ?? '', ca: ca.certPem },
      squid: { proxy: squid.url, ca: testCa().cert },
    };
    for (let i = 0; i < WARMUP_RUNS; i++) {
      await echoRun(target, routes.intercept);
      await echoRun(target, routes.squid);
    }
    const viaIntercept: number[] = [];
    const viaSquid: number[] = [];
    const ratios: number[] = [];
    const cpu = { intercept: [] as number[], squid: [] as number[], interceptAlone: [] as number[] };
    const squidPid = Number(fs.readFileSync(path.join(squid.dir, 'squid.pid'), 'utf8').trim());
    const measured = async (route: 'intercept' | 'squid'): Promise<number> => {
      const proxyPid = route === 'intercept' ? (intercept.pid ?? 0) : squidPid;
      const before = { self: process.cpuUsage(), echo: cpuMs(echo.pid ?? 0), proxy: cpuMs(proxyPid) };
      const rate = await echoRun(target, routes[route]);
      const self = process.cpuUsage(before.self);
      const proxyCpu = cpuMs(proxyPid) - before.proxy;
      const total = (self.user + self.system) / 1000 + (cpuMs(echo.pid ?? 0) - before.echo) + proxyCpu;
      cpu[route].push((total * 1000) / COUNT);
      if (route === 'intercept') cpu.interceptAlone.push((proxyCpu * 1000) / COUNT);
      return rate;
    };
    for (let round = 0; round < ROUNDS; round++) {
      const interceptFirst = round % 2 === 0;
      const first = await measured(interceptFirst ? 'intercept' : 'squid');
      const second = await measured(interceptFirst ? 'squid' : 'intercept');
      const [i, s] = interceptFirst ? [first, second] : [second, first];
      viaIntercept.push(i);
      viaSquid.push(s);
      ratios.push(i / s);
    }
    const ratio = median(ratios);
    const cpuKnown = cpu.intercept.every(Number.isFinite) && cpu.squid.every(Number.isFinite);
    const cpuRow: BenchRow[] = cpuKnown
      ? [
          {
            name: '(9) CPU time for the same echoes, all processes',
            value: `${formatNumber(median(cpu.intercept))} µs/msg through the intercept`,
            baseline: `${formatNumber(median(cpu.squid))} µs/msg through Squid`,
            ratio: median(cpu.squid) / median(cpu.intercept),
            target: '',
            met: 'reference',
            note: `client, echo server and proxy together, per 16 KB message echoed; the intercept process alone ${formatNumber(median(cpu.interceptAlone))} µs/msg`,
          },
        ]
      : [];
    return [
      {
        name,
        value: `${formatNumber(median(viaIntercept), 1)} MB/s`,
        baseline: `${formatNumber(median(viaSquid), 1)} MB/s through Squid alone`,
        ratio,
        target: `≥ ${TARGET} of Squid alone`,
        met: ratio >= TARGET,
        note:
          `${COUNT} messages of 16 KB, ${WINDOW} in flight, ${ROUNDS} rounds (median ratio); the intercept decrypts, records and re-encrypts every message` +
          (ratio < TARGET ? '; what is lost is CPU: the client, the intercept process (two TLS legs, the relay, the capture), the echo server and Squid share 2 cores' : ''),
      },
      ...cpuRow,
    ];
  } finally {
    await squid?.stop();
    for (const child of children) await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

/** One timed run on a fresh connection: MB/s, both directions counted. */
async function echoRun(url: string, route: { proxy: string; ca: string }): Promise<number> {
  const client = new WebSocket(url, { agent: new HttpsProxyAgent(route.proxy), ca: route.ca, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
    client.once('unexpected-response', (_request, response) => reject(new Error(`the proxy answered ${response.statusCode ?? '?'}`)));
  });
  (client as unknown as { _socket?: { setNoDelay?: (on: boolean) => void } })._socket?.setNoDelay?.(true);
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
