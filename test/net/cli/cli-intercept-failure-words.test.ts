/**
 * `tunnelscope intercept` without --json, when the real server's certificate is not trusted:
 * the failure line is followed by what to do (the hint `connect` prints, with intercept's own
 * flag `--ca`), and the session's end says nothing of who closed when nobody did (it said
 * "(by none)").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { selfSignedServer } from '../../support/certs';
import { envWithoutProxies, spawnCli, stopCliProcesses, waitForOutput } from '../../support/cli-process';
import { startEchoServer, type EchoServer } from '../../support/echo-server';

let dataDir: string;
let echo: EchoServer;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-cli-intercept-words-'));
  const server = selfSignedServer();
  echo = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
});

afterEach(stopCliProcesses);

afterAll(async () => {
  await echo.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('tunnelscope intercept, human output', { timeout: 90_000 }, () => {
  it('a server certificate not trusted: the failure, then the hint and --ca; the end names nobody when nobody closed', async () => {
    const run = spawnCli(['intercept', '--port', '0', '--upstream', 'none', '--data-dir', dataDir], {
      env: { ...envWithoutProxies(), TUNNELSCOPE_SECRET_STORE: 'keyfile', NO_COLOR: '1' },
      stdin: 'open',
    });
    const proxyUrl = await waitForOutput(run, 'the listening line', () => /Intercepting on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stderr())?.[1]);
    const caFile = path.join(dataDir, 'intercept-ca.json');
    const caPem = (JSON.parse(fs.readFileSync(caFile, 'utf8')) as { certPem: string }).certPem;
    const client = new WebSocket(`${echo.url}/words`, { agent: new HttpsProxyAgent(proxyUrl), ca: caPem });
    const refused = await new Promise<string>((resolve) => {
      client.once('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
      client.once('error', (error) => resolve(error.message));
    });
    expect(refused).toMatch(/502/);
    const lines = await waitForOutput(run, 'the session end', () => {
      const out = run.stdout().split('\n');
      return out.some((line) => / closed /.test(line)) ? out : undefined;
    });
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
    const failed = lines.findIndex((line) => /failed at tls: .*self-signed/.test(line));
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(lines[failed + 1]).toMatch(/^\s+Hint: .*extra CA file \(--ca <file\.pem>\)/);
    expect(lines[failed + 2]).toMatch(/^\s+On the command line: --ca <CA\.pem>$/);
    expect(lines.join('\n')).not.toContain('--insecure');
    const closed = lines.find((line) => / closed /.test(line));
    expect(closed).not.toContain('(by none)');
    expect(closed).toMatch(/closed \(no close frame\)$/);
  });
});
