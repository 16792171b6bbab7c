/**
 * A passthrough tunnel's row says the way out it took, as a captured WebSocket's does: the
 * engine's proxy decision rides on the passthrough report into the Intercept page's row
 * (`intercept-connection`) and the CLI's line — direct, a proxy (credentials only as "with
 * credentials"), and a PAC answer whose first proxy cannot be reached (the fallback in the
 * reason). Real sockets on 127.0.0.1, servers on port 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { HostEvent } from '../../../src-main/shared/events';
import type { InterceptConnection, InterceptStartArg } from '../../../src-main/shared/intercept-proxy';
import type { ProfileInputDraft } from '../../../src-main/shared/profiles';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { testCa, trustedServer } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { closedPort, startBasicAuthProxy, type FakeProxy } from '../../support/fake-proxy';
import { connectTunnel } from '../../support/intercept-fixture';
import { waitUntil } from '../../support/wait-until';

let wss: EchoServer;
let corpProxy: FakeProxy;
const dirs: string[] = [];
let engine: Engine | undefined;

beforeAll(async () => {
  const server = trustedServer();
  wss = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
  corpProxy = await startBasicAuthProxy('ann', 's3cret', wss.port);
});

afterAll(async () => {
  await Promise.all([wss.close(), corpProxy.close()]);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

/** Starts the engine's intercepting proxy with `localhost` passed through, by a profile of `proxy` or by `upstream`. */
async function startWith(how: { proxy: ProfileInputDraft['proxy'] } | { upstream: InterceptStartArg['upstream'] }): Promise<{ port: number; rows: InterceptConnection[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-passthrough-decision-'));
  dirs.push(dataDir);
  const made = new Engine({ host: 'web', version: 'test', env: { TUNNELSCOPE_SECRET_STORE: 'keyfile' }, profiles: { dataDir } });
  engine = made;
  const rows: InterceptConnection[] = [];
  made.subscribe({ deliver: (event: HostEvent) => (event.type === 'intercept-connection' ? rows.push(event.connection) : undefined), list: true });
  let started;
  if ('proxy' in how) {
    const saved = await made.call('profiles:save', { profile: { name: 'Way', url: 'wss://x.example/', proxy: how.proxy, tls: {}, interceptPassthrough: ['localhost'] } });
    if (!saved.ok) throw new Error(saved.error.message);
    started = await made.call('intercept-proxy:start', { port: 0, profileId: profileViewSchema.parse(saved.value).id });
  } else {
    const added = await made.call('intercept-proxy:passthrough-add', { host: 'localhost' });
    if (!added.ok) throw new Error(added.error.message);
    started = await made.call('intercept-proxy:start', { port: 0, upstream: how.upstream });
  }
  if (!started.ok) throw new Error(started.error.message);
  return { port: started.value.address?.port ?? 0, rows };
}

/** A client's TLS through the tunnel to the real server (trusting only its CA), then gone: the row comes when the tunnel ends. */
async function tunnelThrough(port: number, rows: InterceptConnection[]): Promise<InterceptConnection> {
  const { status, socket } = await connectTunnel(port, `localhost:${wss.port}`);
  expect(status).toBe(200);
  const secured = tls.connect({ socket, servername: 'localhost', ca: testCa().cert, ALPNProtocols: ['http/1.1'] });
  await new Promise<void>((resolve, reject) => {
    secured.once('secureConnect', resolve);
    secured.once('error', reject);
  });
  secured.destroy();
  return waitUntil('the passthrough row', () => rows.find((row) => row.kind === 'passthrough'));
}

describe('a passthrough row carries the way out its tunnel took', () => {
  it('direct (upstream none)', async () => {
    const { port, rows } = await startWith({ upstream: { mode: 'none' } });
    const row = await tunnelThrough(port, rows);
    expect(row).toMatchObject({ status: 200, decision: { source: 'none', candidates: [{ protocol: 'direct' }] } });
  });

  it('a profile’s proxy with a sign-in: named without its credentials', async () => {
    const { port, rows } = await startWith({ proxy: { mode: 'manual', url: `http://127.0.0.1:${corpProxy.port}`, username: 'ann', password: { value: 's3cret' } } });
    const row = await tunnelThrough(port, rows);
    expect(row.decision).toMatchObject({ source: 'manual', candidates: [{ url: `http://127.0.0.1:${corpProxy.port}`, hasCredentials: true }] });
    expect(JSON.stringify(row)).not.toContain('s3cret');
  });

  it('a PAC answer whose first proxy cannot be reached: the fallback to DIRECT is in the reason', async () => {
    const dead = await closedPort();
    const script = `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${dead}; DIRECT"; }`;
    const { port, rows } = await startWith({ proxy: { mode: 'pac', pac: { kind: 'script', script } } });
    const row = await tunnelThrough(port, rows);
    expect(row.decision?.source).toBe('pac');
    expect(row.decision?.candidates.map((c) => c.protocol)).toEqual(['http', 'direct']);
    expect(row.decision?.reason).toContain(`http://127.0.0.1:${dead} failed (`);
    expect(row.decision?.reason).toContain('trying DIRECT');
  });
});
