/**
 * The command line as a user runs it: spawned (the run's build, out/node/cli.js; the PAC case
 * from the sources, `node --import tsx src-main/cli/index.ts …`, its worker registering tsx
 * itself), against servers and proxies on 127.0.0.1. A spawn costs CPU, so each case earns its
 * spawn: usage errors, an echo, one failure per stage, --json parsed back, stdin lines,
 * resolve, Ctrl-C.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedServer, writePems, type PemDir } from '../../support/certs';
import { envWithoutProxies, runCli as runCliProcess, spawnCli as spawnCliProcess, stopCliProcesses, waitForOutput, type CliOptions, type CliProcess, type CliResult } from '../../support/cli-process';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { closedPort, startFakeProxy, type FakeProxy } from '../../support/fake-proxy';
import { startRawServer, type RawServer } from '../../support/raw-ws-server';

// The CLI's own open deadline where the deadline is not what a test checks: generous, so a
// slow start on a busy machine (tsx, the PAC worker) does not turn a failure into OPEN_TIMEOUT.
const OPEN_DEADLINE = '30000';

/** The environment without any proxy variable of the developer's machine, nor NO_COLOR. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...envWithoutProxies((name) => name === 'NO_COLOR'), ...extra };
}

/** stdin left open: the Ctrl-C case stops it while it listens. */
function spawnCli(args: string[]): CliProcess {
  return spawnCliProcess(args, { env: cleanEnv(), stdin: 'open' });
}

function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runCliProcess(args, { env: cleanEnv(), ...options });
}

interface JsonLine {
  type: string;
  [key: string]: unknown;
}

/** Every stdout line must be a JSON object with a string `type`. */
function jsonLines(stdout: string): JsonLine[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || !('type' in value) || typeof value.type !== 'string') {
        throw new Error(`not a typed JSON line: ${line}`);
      }
      return { ...value, type: value.type };
    });
}

function errorOf(lines: JsonLine[]): JsonLine | undefined {
  return lines.find((line) => line.type === 'error');
}

let echo: EchoServer;
let selfSigned: EchoServer;
let notFound: RawServer;
let pems: PemDir;
/** What an argument cannot carry: lines and a closing NUL (and {{…}} that is not a built-in). */
const STOMP_FRAME = 'SUBSCRIBE\nid:sub-0\ndestination:/topic/{{prices}}\n\n\0';

beforeAll(async () => {
  const { cert, key, ca } = selfSignedServer();
  echo = await startEchoServer();
  selfSigned = await startEchoServer({ tls: { cert, key } });
  notFound = await startRawServer(({ socket }) => {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nno such path\n');
  });
  pems = await writePems({
    'ca.pem': ca,
    'bad.pac': 'function FindProxyForURL(url, host) { return "PROXY ;',
    'subscribe.stomp': STOMP_FRAME,
  });
});

afterAll(async () => {
  await Promise.allSettled([echo.close(), selfSigned.close(), notFound.close(), pems.cleanup()]);
});

afterEach(stopCliProcesses);

describe('usage errors: exit 2 with a message on stderr', () => {
  it.each([
    [['connect', 'ws://127.0.0.1:1/', '--bogus'], 'unknown option --bogus'],
    [['connect', 'http://127.0.0.1:1/'], 'must start with ws:// or wss://'],
    [['connect', 'wss://127.0.0.1:1/', '--ca', '/nonexistent/ca.pem'], '--ca: "/nonexistent/ca.pem" does not exist'],
  ])('%j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('tunnelscope connect --help');
    expect(run.stdout).toBe('');
  });

  it('--help prints the options and exits 0', async () => {
    const run = await runCli(['connect', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--proxy', '--no-proxy', '--pac', '--proxy-user', '--send-binary', '--count', '--listen', '--json']) {
      expect(run.stdout).toContain(flag);
    }
  });
});

describe('a session that works', () => {
  it('--send and --count: sends, shows both directions, closes with 1000, exits 0', async () => {
    const run = await runCli(['connect', echo.url, '--no-proxy', '--send', 'hello', '--send', 'world', '--count', '2', '--timeout', OPEN_DEADLINE]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('none (direct connection)');
    expect(run.stdout).toContain('client > server  GET / HTTP/1.1');
    expect(run.stdout).toContain('server > client  HTTP/1.1 101 Switching Protocols');
    expect(run.stdout).toMatch(/→ \S+ text +5 B {2}hello/);
    expect(run.stdout).toMatch(/← \S+ text +5 B {2}world/);
    expect(run.stdout).toMatch(/Closed +we closed with 1000/);
    // Then the traffic: two messages and a close frame each way, 5 + 5 + 2 bytes.
    expect(run.stdout).toMatch(/Traffic +← 3 frames 12 B · → 3 frames 12 B\n/);
  });

  it('--json: every line parses, with resolve, state, handshake, frame and closed lines', async () => {
    const run = await runCli(['connect', echo.url, '--no-proxy', '--send', 'json me', '--send-binary', '00ff', '--json', '--count', '2']);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    const resolve = lines.find((l) => l.type === 'resolve');
    expect(resolve).toMatchObject({ source: 'none', proxy: null });
    expect(typeof resolve?.reason).toBe('string');
    expect(lines.filter((l) => l.type === 'state').map((l) => l.state)).toEqual(expect.arrayContaining(['open', 'closed']));
    const upgrade = lines.find((l) => l.type === 'handshake' && l.leg === 'upgrade');
    expect(upgrade).toMatchObject({ ok: true, request: { startLine: 'GET / HTTP/1.1' }, response: { startLine: 'HTTP/1.1 101 Switching Protocols' } });
    expect(typeof upgrade?.ms).toBe('number');
    const frames = lines.filter((l) => l.type === 'frame');
    expect(frames).toContainEqual(expect.objectContaining({ dir: 'out', opcode: 'text', text: 'json me', size: 7 }));
    expect(frames).toContainEqual(expect.objectContaining({ dir: 'in', opcode: 'binary', base64: 'AP8=', size: 2 }));
    expect(frames).toContainEqual(expect.objectContaining({ dir: 'out', opcode: 'close', code: 1000 }));
    expect(lines.at(-1)).toMatchObject({
      type: 'closed',
      code: 1000,
      // 'json me' (7 B), the 2 bytes and our close (2 B) out; their echoes and the server's close in.
      totals: { out: { messages: 3, bytes: 11 }, in: { messages: 3, bytes: 11 } },
      rtt: { lastMs: null, samples: 0 },
    });
  });

  it('--send-file sends a file as one text message exactly as it is (lines, NUL, no built-ins)', async () => {
    const run = await runCli(['connect', echo.url, '--no-proxy', '--send-file', pems.path('subscribe.stomp'), '--json', '--count', '1']);
    expect(run.code).toBe(0);
    const texts = jsonLines(run.stdout).filter((l) => l.type === 'frame' && l.opcode === 'text');
    expect(texts.map((f) => [f.dir, f.text])).toEqual([
      ['out', STOMP_FRAME],
      ['in', STOMP_FRAME],
    ]);
  });

  it('sends the lines typed on stdin and closes at end of input', async () => {
    const run = await runCli(['connect', echo.url, '--no-proxy', '--json'], { input: 'first line\nsecond line\n' });
    expect(run.code).toBe(0);
    const frames = jsonLines(run.stdout).filter((l) => l.type === 'frame' && l.opcode === 'text');
    expect(frames.filter((f) => f.dir === 'out').map((f) => f.text)).toEqual(['first line', 'second line']);
    expect(frames.filter((f) => f.dir === 'in').map((f) => f.text)).toEqual(['first line', 'second line']);
  });

  it('Ctrl-C closes with 1000 and exits 0', async () => {
    // The server side of this CLI's connection: the next one the server accepts, watched from
    // its start (polling the set could miss a socket opened and closed between two polls).
    const serverSide = echo.nextConnection().then((socket) => new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code))));
    const cli = spawnCli(['connect', echo.url, '--no-proxy', '--listen']);
    await waitForOutput(cli, 'the CLI printing Open', () => cli.stdout().includes('Open'));
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(await serverSide).toBe(1000);
    expect(run.stdout).toMatch(/Closed +we closed with 1000/);
  });
});

describe('one failure per stage: exit 1, the stage and code, the hint', () => {
  it('resolve: a PAC file that does not compile', async () => {
    // From the sources: `npm run cli`'s way, and its PAC worker's (pac-worker-start.ts startFromSources).
    const run = await runCli(['connect', echo.url, '--pac', pems.path('bad.pac'), '--timeout', OPEN_DEADLINE], { fromSources: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Choosing the proxy failed +\[stage resolve, PAC_(INVALID|EVALUATION_FAILED)\]/);
    expect(run.stderr).toContain('Hint:');
  });

  it('proxy-connect: nothing listens on the proxy port', async () => {
    const port = await closedPort();
    const run = await runCli(['connect', echo.url, '--proxy', `http://127.0.0.1:${port}`, '--timeout', OPEN_DEADLINE]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Could not connect to the proxy  [stage proxy-connect, PROXY_CONNECTION_REFUSED]');
    expect(run.stderr).toContain('Hint:');
  });

  describe('tunnel: a proxy that always answers 407', () => {
    let proxy: FakeProxy;
    beforeAll(async () => {
      proxy = await startFakeProxy(({ socket }) => {
        socket.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="cli-test"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
        );
      });
    });
    afterAll(async () => {
      await proxy.close();
    });

    it('without credentials: PROXY_AUTH_REQUIRED, with the realm, in plain words', async () => {
      const run = await runCli(['connect', echo.url, '--proxy', `http://127.0.0.1:${proxy.port}`, '--timeout', OPEN_DEADLINE]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('The proxy asked for credentials  [stage tunnel, PROXY_AUTH_REQUIRED]');
      expect(run.stderr).toContain('realm "cli-test"');
      expect(run.stderr).toContain('HTTP/1.1 407 Proxy Authentication Required');
    });

    it('with rejected credentials in --json: PROXY_AUTH_FAILED, and the password is nowhere', async () => {
      const password = 'very-secret-pw';
      const run = await runCli([
        'connect', echo.url, '--proxy', `http://127.0.0.1:${proxy.port}`, '--proxy-user', `alice:${password}`, '--json', '--timeout', OPEN_DEADLINE,
      ]);
      expect(run.code).toBe(1);
      const lines = jsonLines(run.stdout);
      expect(lines.find((l) => l.type === 'resolve')).toMatchObject({ source: 'manual', proxy: `http://127.0.0.1:${proxy.port}` });
      expect(errorOf(lines)).toMatchObject({ stage: 'tunnel', code: 'PROXY_AUTH_FAILED' });
      expect(lines.find((l) => l.type === 'handshake' && l.leg === 'proxy')).toBeDefined();
      expect(run.stderr).toContain('PROXY_AUTH_FAILED');
      // The engine did send the credential: only the output must not show it.
      expect(proxy.requests.some((r) => r.headers.some(([name]) => name.toLowerCase() === 'proxy-authorization'))).toBe(true);
      for (const secret of [password, Buffer.from(`alice:${password}`).toString('base64')]) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    });
  });

  it('tls: a self-signed server certificate', async () => {
    const run = await runCli(['connect', selfSigned.url, '--no-proxy', '--json', '--timeout', OPEN_DEADLINE]);
    expect(run.code).toBe(1);
    expect(errorOf(jsonLines(run.stdout))).toMatchObject({ stage: 'tls', code: 'TLS_UNTRUSTED_CERT' });
  });

  it('tls --insecure: the same server opens, loudly marked INSECURE', async () => {
    const run = await runCli(['connect', selfSigned.url, '--no-proxy', '--insecure', '--send', 'x', '--count', '1', '--timeout', OPEN_DEADLINE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('INSECURE');
  });

  it('upgrade: the server answers 404', async () => {
    const run = await runCli(['connect', `${notFound.url}missing`, '--no-proxy', '--timeout', OPEN_DEADLINE]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The server did not accept the WebSocket upgrade  [stage upgrade, UPGRADE_REJECTED]');
    expect(run.stderr).toContain('HTTP/1.1 404 Not Found');
    expect(run.stderr).toContain('no such path');
  });
});

describe('resolve', () => {
  it('prints the decision from the environment and why', async () => {
    const run = await runCli(['resolve', 'wss://echo.example/'], { env: cleanEnv({ HTTPS_PROXY: 'http://127.0.0.1:3128' }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('http://127.0.0.1:3128');
    expect(run.stdout).toContain('HTTPS_PROXY');
  });

  it('--json: one resolve line, the proxy without its credentials', async () => {
    const run = await runCli(['resolve', 'ws://echo.example/', '--proxy', 'http://bob:hunter22@127.0.0.1:3128', '--json']);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'resolve', source: 'manual', proxy: 'http://127.0.0.1:3128' });
    expect(run.stdout).not.toContain('hunter22');
  });
});
