/**
 * README's recipes, run: Chromium (the real browser, driven by Playwright) with
 * `--proxy-server`, `--proxy-bypass-list=<-loopback>` and the intercept CA's key in
 * `--ignore-certificate-errors-spki-list`, and Java 11+'s java.net.http WebSocket with
 * `https.proxyHost` and the CA in a PKCS12 trust store (keytool), each through the intercepting
 * proxy to a wss:// echo server with a real Squid as the upstream. What the page and the Java
 * program received, what the engine captured, and which process the OS names. Each part is
 * skipped, saying why, where Chromium, Java or Squid is missing.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { makeInterceptCa, startIntercept, waitUntil, type InterceptCaDir, type RunningIntercept } from '../../support/intercept-fixture';
import { squidMissing, startSquid, type RunningSquid } from '../../support/squid';

const CHROMIUM = '/usr/bin/chromium';
const chromiumMissing = squidMissing ?? (fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not installed`);
const javaMissing = squidMissing ?? (['/usr/bin/java', '/usr/bin/keytool'].every((file) => fs.existsSync(file)) ? undefined : 'java or keytool not installed');

const JAVA_ECHO = `
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

public class Echo {
  public static void main(String[] args) throws Exception {
    CompletableFuture<String> reply = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(args[0]), new WebSocket.Listener() {
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) { reply.complete(data.toString()); return null; }
        }).join();
    ws.sendText("hello from java", true);
    System.out.println(reply.get());
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
  }
}
`;

// Set in beforeAll unless both parts are skipped.
let caDir: InterceptCaDir;
let pems: PemDir;
let wss: EchoServer;
let squid: RunningSquid | undefined;
let run: RunningIntercept | undefined;

beforeAll(async () => {
  if (chromiumMissing !== undefined && javaMissing !== undefined) return;
  caDir = await makeInterceptCa();
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  const server = trustedServer();
  wss = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
  squid = await startSquid({ connectPorts: 'any' });
});

afterAll(async () => {
  if (chromiumMissing !== undefined && javaMissing !== undefined) return;
  await Promise.allSettled([squid?.stop(), wss.close(), pems.cleanup()]);
  caDir.cleanup();
});

afterEach(async () => {
  const current = run;
  run = undefined;
  await current?.stop();
});

async function start(): Promise<RunningIntercept> {
  if (!squid) throw new Error('squid did not start');
  run = await startIntercept(caDir.ca, { proxy: { mode: 'manual', url: squid.url }, tls: { caFiles: [pems.path('upstream-ca.pem')] }, deflate: 'strip' });
  return run;
}

/** What the engine holds of the one captured session: its frames' directions and texts, its process, its proxy decision. */
async function capturedSession(proxy: RunningIntercept): Promise<{ frames: string[]; process: string | undefined; via: string | undefined }> {
  const created = await waitUntil('session-created', () => proxy.events.find((e) => e.type === 'session-created'));
  const sessionId = created.sessionId;
  await waitUntil('the session closed', () => proxy.events.find((e) => e.type === 'closed' && e.sessionId === sessionId));
  const page = await proxy.engine.call('frames:page', { sessionId, fromSeq: 1, limit: 20 });
  if (!page.ok) throw new Error(page.error.message);
  const decision = proxy.events.find((e) => e.type === 'proxy-decision' && e.sessionId === sessionId);
  return {
    frames: page.value.frames.filter((f) => f.opcode === 'text').map((f) => `${f.dir} ${f.preview}`),
    process: created.type === 'session-created' ? created.captured?.clientProcess?.name : undefined,
    via: decision?.type === 'proxy-decision' ? decision.decision.candidates[0]?.url : undefined,
  };
}

describe.skipIf(chromiumMissing !== undefined)(`Chromium through the intercepting proxy and Squid${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  it('a page\'s wss:// WebSocket: the echo comes back, both directions are captured, the session names the browser\'s process and Squid', async () => {
    const proxy = await start();
    // README's line, as written: the SHA-256 of the CA's public key (DER SubjectPublicKeyInfo), base64.
    const caFile = path.join(pems.dir, 'tunnelscope-ca.pem');
    fs.writeFileSync(caFile, caDir.ca.certPem);
    const spki = execFileSync('/bin/sh', ['-c', 'openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64', 'sh', caFile], { encoding: 'utf8' }).trim();
    // The same from Node's crypto: the recipe computes what Chromium compares.
    expect(spki).toBe(createHash('sha256').update(new X509Certificate(caDir.ca.certPem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64'));
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [`--proxy-server=${proxy.url}`, '--proxy-bypass-list=<-loopback>', `--ignore-certificate-errors-spki-list=${spki}`],
    });
    try {
      const page = await browser.newPage();
      await page.goto('about:blank');
      const echoed = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => ws.send('hello from chromium');
            ws.onmessage = (event) => {
              resolve(String(event.data));
              ws.close(1000, 'done');
            };
            ws.onerror = () => resolve('error');
          }),
        `${wss.url}/from-chromium`,
      );
      expect(echoed).toBe('hello from chromium');
      const captured = await capturedSession(proxy);
      expect(captured.frames).toEqual(['out hello from chromium', 'in hello from chromium']);
      expect(captured.via).toBe(squid?.url);
      if (process.platform === 'linux') expect(captured.process).toMatch(/chrom/i);
    } finally {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});

describe.skipIf(javaMissing !== undefined)(`Java's WebSocket through the intercepting proxy and Squid${javaMissing ? ` (skipped: ${javaMissing})` : ''}`, () => {
  it('https.proxyHost and the CA in a PKCS12 trust store, as README says: the echo comes back, the session names java', { timeout: 120_000 }, async () => {
    const proxy = await start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-java-'));
    try {
      fs.writeFileSync(path.join(dir, 'tunnelscope-ca.pem'), caDir.ca.certPem);
      fs.writeFileSync(path.join(dir, 'Echo.java'), JAVA_ECHO);
      const exec = (file: string, args: string[]): Promise<{ code: number | null; out: string }> =>
        new Promise((resolve) => {
          const child = spawn(file, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.once('close', (code) => resolve({ code, out }));
        });
      const imported = await exec('/usr/bin/keytool', ['-importcert', '-noprompt', '-alias', 'tunnelscope', '-file', 'tunnelscope-ca.pem', '-keystore', 'tunnelscope-ca.p12', '-storetype', 'PKCS12', '-storepass', 'changeit']);
      expect(imported.code).toBe(0);
      const result = await exec('/usr/bin/java', [
        '-Dhttps.proxyHost=127.0.0.1',
        `-Dhttps.proxyPort=${proxy.port}`,
        '-Dhttp.nonProxyHosts=',
        '-Djavax.net.ssl.trustStore=tunnelscope-ca.p12',
        '-Djavax.net.ssl.trustStorePassword=changeit',
        '-Djavax.net.ssl.trustStoreType=PKCS12',
        'Echo.java',
        `${wss.url}/from-java`,
      ]);
      expect({ code: result.code, out: result.out.trim() }).toEqual({ code: 0, out: 'hello from java' });
      const captured = await capturedSession(proxy);
      expect(captured.frames).toEqual(['out hello from java', 'in hello from java']);
      expect(captured.via).toBe(squid?.url);
      if (process.platform === 'linux') expect(captured.process).toBe('java');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
