/**
 * README's Python recipe for older `websockets` (run as written there: the CONNECT by hand, the
 * installed 10.4 has no proxy support) through the intercepting proxy, trusting its CA: a second TLS and
 * WebSocket stack than Node's, to a wss:// echo server. Skipped, saying why, where
 * /usr/bin/python3 or its websockets module is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { loadOrCreateInterceptCa, type InterceptCa } from '../../../src-main/core/intercept/intercept-ca';
import type { InterceptEvent } from '../../../src-main/core/intercept/intercept-events';
import { InterceptProxy } from '../../../src-main/core/intercept/intercept-proxy';
import { LeafCertificates } from '../../../src-main/core/intercept/leaf-certificates';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

const PYTHON = '/usr/bin/python3';
const pythonMissing = ((): string | undefined => {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not installed`;
  const probe = spawnSync(PYTHON, ['-c', 'import websockets'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'python3-websockets not installed';
})();

const README = path.join(__dirname, '../../../README.md');

/** README's recipe for older websockets: the script between `<<'PY'` and `PY`, run as written. */
function readmeClient(): string {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf("<<'PY'\n");
  const end = text.indexOf('\nPY\n', start);
  if (start < 0 || end < 0) throw new Error("README's Python recipe for older websockets (<<'PY' … PY) is missing");
  return text.slice(start + "<<'PY'\n".length, end + 1);
}

describe.skipIf(pythonMissing !== undefined)(`a Python websockets client through the intercepting proxy${pythonMissing ? ` (skipped: ${pythonMissing})` : ''}`, () => {
  let dataDir: string;
  let ca: InterceptCa;
  let pems: PemDir;
  let echo: EchoServer;
  let engine: Engine;
  let proxy: InterceptProxy;
  let port = 0;
  const reports: InterceptEvent[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-intercept-py-'));
    ca = await loadOrCreateInterceptCa({ dataDir, cipher: KeyFileCipher.open(dataDir) });
    pems = await writePems({ 'upstream-ca.pem': testCa().cert, 'intercept-ca.pem': ca.certPem });
    const server = trustedServer();
    echo = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
    engine = new Engine({ host: 'cli', version: 'test', env: {} });
    proxy = new InterceptProxy({
      engine,
      leaves: new LeafCertificates(ca),
      choice: { proxy: { mode: 'none' }, tls: { caFiles: [pems.path('upstream-ca.pem')] }, deflate: 'strip' },
      report: (event) => reports.push(event),
    });
    port = (await proxy.listen('127.0.0.1', 0)).port;
  });

  afterAll(async () => {
    await proxy.close();
    await engine.dispose();
    await Promise.all([echo.close(), pems.cleanup()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('echoes through the proxy, and the session is captured both ways', async () => {
    // As README runs it: `python3 - <proxy host> <proxy port> <host> <port> <path> <CA> <<'PY' … PY`.
    const child = spawn(PYTHON, ['-', '127.0.0.1', String(port), 'localhost', String(echo.port), '/py', pems.path('intercept-ca.pem')], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(readmeClient());
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('close', (status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
    expect({ code, stdout, stderr: stderr.slice(-500) }).toMatchObject({ code: 0, stdout: 'hello\n' });
    const captured = reports.find((r) => r.type === 'captured');
    expect(captured).toMatchObject({ url: `wss://localhost:${echo.port}/py` });
    const sessionId = captured?.type === 'captured' ? captured.sessionId : '';
    const page = await engine.call('frames:page', { sessionId, fromSeq: 1, limit: 10 });
    const texts = page.ok ? page.value.frames.filter((f) => f.opcode === 'text').map((f) => [f.dir, f.preview]) : [];
    expect(texts).toEqual([
      ['out', 'hello'],
      ['in', 'hello'],
    ]);
  });
});
