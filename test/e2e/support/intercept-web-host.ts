/**
 * The set-up of the Intercept specs: a local wss:// echo server whose CA is in the OS store the
 * web host reads (so the proxy's upstream leg trusts it), the host, a folder for the downloaded
 * CA, and the Node ws clients a spec starts (killed at the end if still running). Call at the
 * top of the spec file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createCa, createLeaf, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { repoRoot, startWebHostProcess, type WebHostProcess } from './web-host-process';

/** Opens `socket` to argv[1] through the proxy in HTTPS_PROXY. */
const CLIENT_PRELUDE = `
const WebSocket = require('ws');
const { HttpsProxyAgent } = require('https-proxy-agent');
const socket = new WebSocket(process.argv[1], { agent: new HttpsProxyAgent(process.env.HTTPS_PROXY) });
`;

export interface InterceptWebHost {
  host: WebHostProcess;
  echo: EchoServer;
  /** Holds os-store.pem, the upstream CA the host trusts. */
  pems: PemDir;
  /** Where the spec saves the CA it downloads. */
  downloads: string;
}

export interface ProxiedClient {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Registers the hooks; `caName` names the upstream CA, `downloadsPrefix` the temporary folder. */
export function useInterceptWebHost(caName: string, downloadsPrefix: string): { get: () => InterceptWebHost; startClient: (script: string, args: readonly string[], proxyUrl: string, caFile: string | null) => ProxiedClient } {
  let running: InterceptWebHost | undefined;
  let pems: PemDir | undefined;
  let echo: EchoServer | undefined;
  let host: WebHostProcess | undefined;
  let downloads: string | undefined;
  const clients: ChildProcess[] = [];

  test.beforeAll(async () => {
    const upstreamCa = createCa(caName);
    pems = await writePems({ 'os-store.pem': upstreamCa.cert });
    // Listening on 127.0.0.1, named localhost: https-proxy-agent checks an IP target's certificate against "localhost".
    echo = await startEchoServer({ tls: { ...createLeaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], issuer: upstreamCa }), hostname: 'localhost' } });
    host = await startWebHostProcess({ env: { TUNNELSCOPE_OS_CA_BUNDLE: pems.path('os-store.pem') } });
    downloads = mkdtempSync(path.join(os.tmpdir(), downloadsPrefix));
    running = { host, echo, pems, downloads };
  });

  test.afterAll(async () => {
    // A client killed by the spec has a signalCode, not an exitCode: it is not killed twice.
    for (const child of clients) if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid);
    await host?.stop();
    await echo?.close();
    await pems?.cleanup();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  /**
   * A Node ws client as a user runs one: HTTPS_PROXY at the proxy, NODE_EXTRA_CA_CERTS at `caFile`
   * (none when null). `script` runs after CLIENT_PRELUDE, with `socket` opening to args[0].
   */
  function startClient(script: string, args: readonly string[], proxyUrl: string, caFile: string | null): ProxiedClient {
    const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: proxyUrl, ...(caFile !== null ? { NODE_EXTRA_CA_CERTS: caFile } : {}) };
    if (caFile === null) delete env['NODE_EXTRA_CA_CERTS'];
    delete env['NO_PROXY'];
    delete env['no_proxy'];
    const child = spawn(process.execPath, ['-e', CLIENT_PRELUDE + script, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    clients.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { process: child, output: () => output, exited };
  }

  return {
    get: () => {
      if (!running) throw new Error('the intercept set-up did not start');
      return running;
    },
    startClient,
  };
}

/** On the Intercept page: any free port, straight to the server, the switch turned on; the switch and the proxy's address. */
export async function switchInterceptOn(page: Page): Promise<{ toggle: Locator; proxyUrl: string }> {
  await page.getByLabel('port', { exact: true }).fill('0');
  await page.getByTestId('intercept-upstream-none').check();
  const toggle = page.getByRole('switch');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  return { toggle, proxyUrl: (await page.getByTestId('intercept-address').textContent()) ?? '' };
}
