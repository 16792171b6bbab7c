/**
 * README's Firefox recipe, run as written: stock headless Firefox (firefox-esr) with a profile
 * of its own whose user.js holds README's proxy prefs (read from README itself, with the test's
 * port for 8899), the intercept CA imported with README's certutil line, loading a page from a
 * 127.0.0.1 server whose script opens a wss:// WebSocket to a 127.0.0.1 echo server through the
 * intercepting proxy and sends a message. What the echo server received, what the page got
 * back, and what the engine captured (both directions). Firefox is stopped by its process group
 * and nothing of it is left running. Skipped, saying why, where firefox-esr or certutil is
 * missing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { makeInterceptCa, startIntercept, waitUntil, type InterceptCaDir } from '../../support/intercept-fixture';

const FIREFOX = '/usr/bin/firefox-esr';
const CERTUTIL = '/usr/bin/certutil';
const firefoxMissing = !fs.existsSync(FIREFOX) ? `${FIREFOX} not installed (apt-get install firefox-esr)` : !fs.existsSync(CERTUTIL) ? `${CERTUTIL} not installed (apt-get install libnss3-tools)` : undefined;
const README = path.join(__dirname, '../../../README.md');
const WAIT_MS = 90_000;

/** README's Firefox user.js lines (its recipe's `user_pref(…);` lines), for a proxy on `port` instead of 8899. */
function readmeUserJs(port: number): string {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf('# Firefox');
  const end = text.indexOf('# Node', start);
  const lines = text.slice(start, end).split('\n').filter((line) => /^user_pref\(.*\);$/.test(line.trim()));
  if (lines.length === 0) throw new Error("README's Firefox recipe has no user_pref lines");
  return `${lines.map((line) => line.trim().replace(/\b8899\b/g, String(port))).join('\n')}\n`;
}

/**
 * Prefs that only keep a test run quiet (no update, telemetry or safe-browsing requests of its
 * own through the proxy, no first-run pages); they do not change how the page's WebSocket goes.
 */
const QUIET = [
  'user_pref("app.update.enabled", false);',
  'user_pref("app.update.auto", false);',
  'user_pref("browser.shell.checkDefaultBrowser", false);',
  'user_pref("browser.startup.homepage_override.mstone", "ignore");',
  'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
  'user_pref("toolkit.telemetry.enabled", false);',
  'user_pref("browser.safebrowsing.malware.enabled", false);',
  'user_pref("browser.safebrowsing.phishing.enabled", false);',
  'user_pref("network.captive-portal-service.enabled", false);',
  'user_pref("network.connectivity-service.enabled", false);',
  'user_pref("extensions.update.enabled", false);',
  'user_pref("browser.newtabpage.enabled", false);',
].join('\n');

let caDir: InterceptCaDir;
let pems: PemDir;
let echo: { port: number; received: string[]; close(): Promise<void> };
let page: { port: number; requests: string[]; close(): Promise<void> };

/** A wss:// echo server on 127.0.0.1 (the test CA's certificate for 127.0.0.1) that keeps every text it received. */
async function startRecordingEcho(): Promise<typeof echo> {
  const server = https.createServer({ cert: trustedServer().cert, key: trustedServer().key });
  const wss = new WebSocketServer({ server });
  const received: string[] = [];
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      if (!isBinary) received.push(data.toString());
      socket.send(data, { binary: isBinary });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The page: its script opens the WebSocket, sends a line, and reports the echo back to this server. */
async function startPageServer(echoPort: number): Promise<typeof page> {
  const requests: string[] = [];
  const html = `<!doctype html><title>tunnelscope firefox</title><script>
const ws = new WebSocket('wss://127.0.0.1:${echoPort}/from-firefox');
ws.onopen = () => ws.send('hello from firefox');
ws.onmessage = (event) => { fetch('/echoed?' + encodeURIComponent(String(event.data))).finally(() => ws.close(1000, 'done')); };
ws.onerror = () => { fetch('/failed'); };
</script>`;
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(200, { 'Content-Type': request.url === '/' ? 'text/html' : 'text/plain', 'Cache-Control': 'no-store' });
    response.end(request.url === '/' ? html : 'ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The processes whose command line names `dir` (Firefox and its content processes), from /proc. */
function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Stops Firefox: SIGTERM to its process group, SIGKILL to what is left after 10 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // The group is gone already.
  }
  const late = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }, 10_000);
  await exited;
  clearTimeout(late);
  await waitUntil('no process of the group', () => {
    try {
      process.kill(-pid, 0);
      return undefined;
    } catch {
      return true;
    }
  }, 15_000);
}

beforeAll(async () => {
  if (firefoxMissing !== undefined) return;
  caDir = await makeInterceptCa();
  pems = await writePems({ 'upstream-ca.pem': testCa().cert, 'tunnelscope-ca.pem': caDir.ca.certPem });
  echo = await startRecordingEcho();
  page = await startPageServer(echo.port);
});

afterAll(async () => {
  if (firefoxMissing !== undefined) return;
  await Promise.allSettled([echo.close(), page.close(), pems.cleanup()]);
  caDir.cleanup();
});

describe.skipIf(firefoxMissing !== undefined)(`Firefox through the intercepting proxy${firefoxMissing ? ` (skipped: ${firefoxMissing})` : ''}`, () => {
  it("README's user.js and certutil line: a page's wss:// WebSocket to 127.0.0.1 is captured both ways and the echo server gets the message", { timeout: 180_000 }, async () => {
    const run = await startIntercept(caDir.ca, { proxy: { mode: 'none' }, tls: { caFiles: [pems.path('upstream-ca.pem')] }, deflate: 'strip' });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-firefox-'));
    const profile = path.join(home, 'profile');
    fs.mkdirSync(profile);
    let firefox: ChildProcess | undefined;
    try {
      const userJs = readmeUserJs(run.port);
      // README's prefs themselves: manual proxy for HTTP and HTTPS, and loopback through it too.
      expect(userJs).toContain(`user_pref("network.proxy.ssl_port", ${run.port});`);
      expect(userJs).toContain('user_pref("network.proxy.allow_hijacking_localhost", true);');
      fs.writeFileSync(path.join(profile, 'user.js'), `${userJs}${QUIET}\n`);
      // README's line: certutil -A -d sql:<profile> -n tunnelscope -t C,, -i tunnelscope-ca.pem
      expect(fs.readFileSync(README, 'utf8')).toContain('certutil -A -d sql:/tmp/tunnelscope-firefox -n tunnelscope -t C,, -i tunnelscope-ca.pem');
      execFileSync(CERTUTIL, ['-A', '-d', `sql:${profile}`, '-n', 'tunnelscope', '-t', 'C,,', '-i', pems.path('tunnelscope-ca.pem')]);

      const output: string[] = [];
      // Its own process group (detached), so the whole browser stops with one signal; HOME keeps it out of the user's own profiles.
      firefox = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, `http://127.0.0.1:${page.port}/`], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: home, MOZ_CRASHREPORTER_DISABLE: '1' },
      });
      firefox.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      firefox.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const why = (): string => `; page requests ${JSON.stringify(page.requests)}; firefox said: ${output.join('').slice(-2000)}`;

      await waitUntil('the echo server received the message', () => echo.received.includes('hello from firefox') || undefined, WAIT_MS).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
      });
      await waitUntil('the page reported the echo', () => page.requests.find((url) => url.startsWith('/echoed?')), WAIT_MS);
      expect(page.requests).toContain(`/echoed?${encodeURIComponent('hello from firefox')}`);
      expect(page.requests).not.toContain('/failed');

      // Captured: one session to wss://127.0.0.1:<echo>, both directions in its log.
      const created = await waitUntil('the captured session', () => run.events.find((e) => e.type === 'session-created' && e.url.includes(`127.0.0.1:${echo.port}`)));
      const sessionId = created.sessionId;
      await waitUntil('the captured session closed', () => run.events.find((e) => e.type === 'closed' && e.sessionId === sessionId), WAIT_MS);
      const frames = await run.engine.call('frames:page', { sessionId, fromSeq: 1, limit: 20 });
      if (!frames.ok) throw new Error(frames.error.message);
      expect(frames.value.frames.filter((f) => f.opcode === 'text').map((f) => `${f.dir} ${f.preview}`)).toEqual(['out hello from firefox', 'in hello from firefox']);
      expect(created.type === 'session-created' && created.url).toBe(`wss://127.0.0.1:${echo.port}/from-firefox`);
      if (process.platform === 'linux' && created.type === 'session-created') expect(created.captured?.clientProcess?.name).toMatch(/firefox|socket/i);
      // The page itself came through the proxy as plain HTTP (allow_hijacking_localhost).
      expect(run.reports.some((r) => r.type === 'http' && r.path === '/' && r.host === `127.0.0.1:${page.port}`)).toBe(true);
    } finally {
      if (firefox) await stopGroup(firefox);
      expect(processesUsing(profile)).toEqual([]);
      await run.stop();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
