import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-main/shared/errors';
import type { PacSource } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { disposePacWorkers } from '../../../src-main/core/proxy/pac-script';
import { resolveProxy, type ResolvedRoutes } from '../../../src-main/core/proxy/resolve';

const GOOD_PAC = 'function FindProxyForURL(url, host) { return "PROXY pac.corp:3128; DIRECT"; }';
const BIG = 1024 * 1024 + 1;

let server: http.Server;
let base: string;
let dir: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dir = await mkdtemp(join(tmpdir(), 'tunnelscope-pac-'));
  server = http.createServer((req, res) => {
    switch (req.url) {
      case '/proxy.pac':
        res.writeHead(200, { 'Content-Type': 'application/x-ns-proxy-autoconfig' });
        res.end(GOOD_PAC);
        return;
      case '/moved':
        res.writeHead(302, { Location: '/proxy.pac' });
        res.end();
        return;
      case '/html':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!doctype html><html><body><h1>Sign in to the corporate portal</h1></body></html>');
        return;
      case '/big-declared':
        res.writeHead(200, { 'Content-Length': String(BIG) });
        res.end('x'.repeat(BIG));
        return;
      case '/big-chunked':
        // No Content-Length: the cap must hold while reading.
        res.writeHead(200);
        for (let i = 0; i < 20; i += 1) res.write('/'.repeat(100_000));
        res.end();
        return;
      case '/slow-body':
        // Headers at once, then a trickle that never finishes.
        res.writeHead(200, { 'Content-Type': 'application/x-ns-proxy-autoconfig' });
        res.write('function FindProxyForURL(url, host) {');
        return;
      case '/private.pac':
        // Basic auth, as some intranet servers ask for the PAC file.
        if (req.headers.authorization === `Basic ${Buffer.from('alice:hunt@r2').toString('base64')}`) {
          res.writeHead(200);
          res.end(GOOD_PAC);
        } else {
          res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="pac"' });
          res.end();
        }
        return;
      case '/silent':
        return; // never answers
      default:
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Compile QuickJS once, so the short deadlines below measure the cases, not the compile.
  await resolveProxy('wss://warm.example/', { mode: 'pac', source: { kind: 'script', script: GOOD_PAC } }, undefined, { env: {}, pacTimeoutMs: 30_000 });
});

afterEach(() => {
  expect(unhandled).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await disposePacWorkers();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function pac(source: PacSource, pacTimeoutMs = 5_000, target = 'wss://echo.example/'): Promise<ResolvedRoutes> {
  return resolveProxy(target, { mode: 'pac', source }, undefined, { env: {}, pacTimeoutMs });
}

/**
 * The deadline of a case that fails for another reason: far enough that a worker starting on a
 * busy machine never reaches it, so the code tells whether the deadline ended the evaluation.
 */
const FAR_DEADLINE_MS = 15_000;

/** Runs a case that must fail: checks stage, code and message (a timeout shows in both). */
async function expectFailure(source: PacSource, code: ErrorCode, text: string, pacTimeoutMs = FAR_DEADLINE_MS): Promise<NetFailure> {
  let caught: unknown;
  try {
    await pac(source, pacTimeoutMs);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(NetFailure);
  if (!(caught instanceof NetFailure)) throw new Error('expected a NetFailure');
  expect(caught.netError.stage).toBe('resolve');
  expect(caught.netError.code).toBe(code);
  expect(caught.netError.message).toContain(text);
  return caught;
}

describe('PAC: where the script comes from', () => {
  it('runs an inline script', async () => {
    const { decision } = await pac({ kind: 'script', script: GOOD_PAC });
    expect(decision).toEqual({
      source: 'pac',
      candidates: [
        { url: 'http://pac.corp:3128', protocol: 'http', host: 'pac.corp', port: 3128, hasCredentials: false },
        { url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false },
      ],
      reason: 'PAC returned "PROXY pac.corp:3128; DIRECT" (inline script)',
    });
  });

  it('loads a file by path and by file:// URL', async () => {
    const path = join(dir, 'proxy.pac');
    await writeFile(path, GOOD_PAC);
    const byPath = await pac({ kind: 'file', path });
    expect(byPath.decision.reason).toBe(`PAC returned "PROXY pac.corp:3128; DIRECT" (file ${path})`);
    const byUrl = await pac({ kind: 'url', url: pathToFileURL(path).href });
    expect(byUrl.decision.reason).toBe(`PAC returned "PROXY pac.corp:3128; DIRECT" (file ${path})`);
  });

  it('reads a file with a UTF-8 byte order mark', async () => {
    const path = join(dir, 'bom.pac');
    await writeFile(path, `\uFEFF${GOOD_PAC}`);
    expect((await pac({ kind: 'file', path })).decision.candidates[0]?.url).toBe('http://pac.corp:3128');
  });

  it('fetches an http:// URL, following a redirect', async () => {
    const direct = await pac({ kind: 'url', url: `${base}/proxy.pac` });
    expect(direct.decision.reason).toBe(`PAC returned "PROXY pac.corp:3128; DIRECT" (${base}/proxy.pac)`);
    const moved = await pac({ kind: 'url', url: `${base}/moved` });
    expect(moved.decision.candidates.map((c) => c.url)).toEqual(['http://pac.corp:3128', 'direct']);
  });

  it('uses PAC built-ins in the sandbox', async () => {
    const script = `function FindProxyForURL(url, host) {
      if (isPlainHostName(host) || dnsDomainIs(host, ".corp")) return "DIRECT";
      if (shExpMatch(url, "https:*") && isInNet(dnsResolve("127.0.0.1"), "127.0.0.0", "255.0.0.0")) return "HTTPS secure:443";
      return "PROXY plain:3128";
    }`;
    expect((await pac({ kind: 'script', script }, 5_000, 'wss://echo.example/')).decision.candidates[0]?.url).toBe('https://secure:443');
    expect((await pac({ kind: 'script', script }, 5_000, 'ws://echo.example/')).decision.candidates[0]?.url).toBe('http://plain:3128');
    expect((await pac({ kind: 'script', script }, 5_000, 'wss://intranet.corp/')).decision.candidates[0]?.url).toBe('direct');
  });

  it('cannot reach Node from the sandbox', async () => {
    const script = `function FindProxyForURL(url, host) {
      return (typeof require) + "," + (typeof process) + "," + (typeof globalThis.fetch);
    }`;
    const failure = await expectFailure({ kind: 'script', script }, 'PAC_EVALUATION_FAILED', '"undefined,undefined,undefined"');
    expect(failure.netError.message).toContain('not a proxy list');
  });

  it('does not let one script see the globals of another', async () => {
    await pac({ kind: 'script', script: 'var leaked = "PROXY leak:1"; function FindProxyForURL(u, h) { return "DIRECT"; }' });
    const { decision } = await pac({ kind: 'script', script: 'function FindProxyForURL(u, h) { return typeof leaked === "undefined" ? "DIRECT" : leaked; }' });
    expect(decision.candidates[0]?.url).toBe('direct');
  });
});

describe('PAC: failures', () => {
  it('a 404', async () => {
    const failure = await expectFailure({ kind: 'url', url: `${base}/missing.pac` }, 'PAC_FETCH_FAILED', 'the server answered 404 Not Found');
    expect(failure.netError.message).toContain(`${base}/missing.pac`);
  });

  it('a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await expectFailure({ kind: 'url', url: `http://127.0.0.1:${port}/proxy.pac` }, 'PAC_FETCH_FAILED', 'ECONNREFUSED');
    expect(failure.netError.details.cause).toBe('ECONNREFUSED');
  });

  it('a server that never answers (deadline)', async () => {
    const failure = await expectFailure({ kind: 'url', url: `${base}/silent` }, 'PAC_FETCH_FAILED', 'did not arrive within 500 ms', 500);
    expect(failure.netError.details.timeoutMs).toBe(500);
  });

  it('a server that sends the body slowly and never finishes (deadline)', async () => {
    const failure = await expectFailure({ kind: 'url', url: `${base}/slow-body` }, 'PAC_FETCH_FAILED', 'did not arrive within 500 ms', 500);
    expect(failure.netError.details.timeoutMs).toBe(500);
  });

  it('an HTML page instead of a PAC script', async () => {
    const failure = await expectFailure({ kind: 'url', url: `${base}/html` }, 'PAC_FETCH_FAILED', 'the server sent an HTML page (200 OK, Content-Type text/html), not a PAC script');
    expect(failure.netError.message).toContain(`${base}/html`);
  });

  it.each<[string, string, ErrorCode, string]>([
    ['a syntax error', 'function FindProxyForURL(url, host) { return "DIRECT" ', 'PAC_INVALID', 'Unexpected end of input'],
    ['no FindProxyForURL', 'function findProxy(url, host) { return "DIRECT"; }', 'PAC_INVALID', 'FindProxyForURL is not defined'],
    ['FindProxyForURL that is not a function', 'var FindProxyForURL = "DIRECT";', 'PAC_INVALID', 'Expected a "function"'],
    ['a script that throws at the top', 'throw new Error("top-level boom"); function FindProxyForURL() {}', 'PAC_INVALID', 'top-level boom'],
    ['a script that throws', 'function FindProxyForURL(url, host) { throw new Error("boom"); }', 'PAC_EVALUATION_FAILED', 'failed: boom'],
    ['a script that throws a TypeError', 'function FindProxyForURL(url, host) { return host.nope.nope; }', 'PAC_EVALUATION_FAILED', 'TypeError'],
    ['a script that recurses forever', 'function f() { return f() + 1; } function FindProxyForURL(url, host) { return f(); }', 'PAC_EVALUATION_FAILED', 'call stack'],
    ['a number', 'function FindProxyForURL(url, host) { return 42; }', 'PAC_EVALUATION_FAILED', 'the answer is a number, not a string'],
    ['undefined', 'function FindProxyForURL(url, host) { }', 'PAC_EVALUATION_FAILED', 'the answer is undefined, not a string'],
    ['an object', 'function FindProxyForURL(url, host) { return { proxy: "a:1" }; }', 'PAC_EVALUATION_FAILED', 'an object, not a string'],
    ['garbage text', 'function FindProxyForURL(url, host) { return "<html>"; }', 'PAC_EVALUATION_FAILED', 'is not a PAC entry'],
    ['a bad port', 'function FindProxyForURL(url, host) { return "PROXY a:99999"; }', 'PAC_EVALUATION_FAILED', 'from 1 to 65535'],
    ['only unsupported entries', 'function FindProxyForURL(url, host) { return "SOCKS4 a:1"; }', 'PAC_EVALUATION_FAILED', 'SOCKS4 is not supported'],
    ['a huge answer', 'function FindProxyForURL(url, host) { var s = ""; for (var i = 0; i < 3000; i++) s += "PROXY a:1; "; return s; }', 'PAC_EVALUATION_FAILED', 'more than a proxy list can be'],
  ])('%s', async (_name, script, code, text) => {
    const failure = await expectFailure({ kind: 'script', script }, code, text);
    expect(failure.netError.message).toContain('(inline script)');
  });

  it('a script that allocates without end (memory limit)', async () => {
    // Ends at the 32 MiB limit, long before the deadline (pac-memory.test.ts has more cases).
    const script = 'function FindProxyForURL(url, host) { var a = []; for (;;) a.push("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + a.length); }';
    const failure = await expectFailure({ kind: 'script', script }, 'PAC_EVALUATION_FAILED', 'The PAC script (inline script) was stopped at its memory limit of 32 MiB');
    expect(failure.netError.details.timeoutMs).toBeUndefined();
  });

  it.each([
    ['in FindProxyForURL', 'function FindProxyForURL(url, host) { while (true) {} }'],
    ['at the top of the script', 'while (true) {} function FindProxyForURL(url, host) { return "DIRECT"; }'],
    ['after an async built-in (dnsResolve)', 'function FindProxyForURL(url, host) { var ip = dnsResolve("127.0.0.1"); while (true) {} }'],
    ['after isResolvable', 'function FindProxyForURL(url, host) { if (isResolvable("127.0.0.1")) { for (;;) {} } return "DIRECT"; }'],
  ])('a script that never ends %s is interrupted at the deadline', async (_name, script) => {
    const failure = await expectFailure({ kind: 'script', script }, 'PAC_EVALUATION_FAILED', 'did not finish within 400 ms', 400);
    expect(failure.netError.details.timeoutMs).toBe(400);
  });

  it('a script that throws after an async built-in', async () => {
    const script = 'function FindProxyForURL(url, host) { var ip = dnsResolve("127.0.0.1"); throw new Error("after dns " + ip); }';
    await expectFailure({ kind: 'script', script }, 'PAC_EVALUATION_FAILED', 'after dns 127.0.0.1');
  });

  it('an oversized file', async () => {
    const path = join(dir, 'big.pac');
    await writeFile(path, `// ${'x'.repeat(BIG)}\n${GOOD_PAC}`);
    const failure = await expectFailure({ kind: 'file', path }, 'PAC_FETCH_FAILED', 'more than 1 MiB');
    expect(failure.netError.details.file).toBe(path);
  });

  it('an oversized download, declared or not', async () => {
    await expectFailure({ kind: 'url', url: `${base}/big-declared` }, 'PAC_FETCH_FAILED', 'more than 1 MiB');
    await expectFailure({ kind: 'url', url: `${base}/big-chunked` }, 'PAC_FETCH_FAILED', 'larger than 1 MiB');
  });

  it('an oversized inline script', async () => {
    await expectFailure({ kind: 'script', script: `// ${'x'.repeat(BIG)}` }, 'PAC_FETCH_FAILED', 'larger than 1 MiB');
  });

  it('a missing file, a folder', async () => {
    const missing = join(dir, 'nope.pac');
    const failure = await expectFailure({ kind: 'file', path: missing }, 'PAC_FETCH_FAILED', 'there is no such file');
    expect(failure.netError.details).toMatchObject({ file: missing, cause: 'ENOENT' });
    await expectFailure({ kind: 'file', path: dir }, 'PAC_FETCH_FAILED', 'not a regular file');
  });

  it.each([
    ['ftp://127.0.0.1/proxy.pac', 'a PAC URL must start with http://, https:// or file://, not ftp://'],
    ['not a url', 'it is not a URL'],
    ['/etc/proxy.pac', 'it is not a URL'],
    // Read with shared/endpoint-url.ts, as the saved-secret check reads it: two readings are refused.
    ['http://127.0.0.1:1\\@127.0.0.1:2/proxy.pac', 'a backslash is not allowed in a PAC URL'],
    ['http://127.0.0.1:1/\tproxy.pac', 'a tab is not allowed in a PAC URL'],
    ['http://127.0.0.1:0/proxy.pac', 'port 0 is not a port'],
    ['http://[fe80::1%25eth0]/proxy.pac', 'the IPv6 zone id "eth0" is not supported'],
  ])('a URL source %j', async (url, text) => {
    await expectFailure({ kind: 'url', url }, 'PAC_FETCH_FAILED', text);
  });

  it('never shows credentials from the PAC URL', async () => {
    const failure = await expectFailure({ kind: 'url', url: `http://alice:hunter2@127.0.0.1:${new URL(base).port}/missing.pac` }, 'PAC_FETCH_FAILED', '404');
    expect(JSON.stringify(failure.netError)).not.toContain('hunter2');
    const ok = await pac({ kind: 'url', url: `http://alice:hunt%40r2@127.0.0.1:${new URL(base).port}/private.pac` });
    expect(ok.decision.candidates[0]?.url).toBe('http://pac.corp:3128');
    expect(JSON.stringify(ok.decision)).not.toContain('hunt');
    const refused = await expectFailure({ kind: 'url', url: `http://alice:wrong@127.0.0.1:${new URL(base).port}/private.pac` }, 'PAC_FETCH_FAILED', '401');
    expect(JSON.stringify(refused.netError)).not.toContain('wrong');
  });
});
