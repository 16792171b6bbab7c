/**
 * The intercepting proxy started with a profile (issue 13), by the engine's command as the app
 * does and by `tunnelscope intercept --profile`: the profile's way out (a manual proxy with a
 * Basic sign-in, its password stored encrypted) carries every upstream leg, a host on the
 * profile's passthrough list is tunnelled untouched (the client sees the server's own
 * certificate, nothing captured, the row says the profile's list) while another host is
 * intercepted (our leaf, a captured session), the global list still counts, "Pass through" can
 * add to the profile's list, and an unknown profile or a profile with an upstream of its own is
 * refused naming the field. Real sockets on 127.0.0.1, servers on port 0.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runIntercept } from '../../../src-main/cli/intercept-command';
import { runProfilePassthrough } from '../../../src-main/cli/profile-passthrough';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import type { HostEvent } from '../../../src-main/shared/events';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { startBasicAuthProxy, type FakeProxy } from '../../support/fake-proxy';
import { connectTunnel } from '../../support/intercept-fixture';
import { waitUntil } from '../../support/wait-until';
import { fakeIo } from '../../unit/cli/fake-engine';

let pems: PemDir;
let wss: EchoServer;
let corpProxy: FakeProxy;
const dirs: string[] = [];
let engine: Engine | undefined;

beforeAll(async () => {
  const server = trustedServer();
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  wss = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
  // The profile's way out: a proxy that tunnels (to the echo server) only for ann's Basic sign-in.
  corpProxy = await startBasicAuthProxy('ann', 's3cret', wss.port);
});

afterAll(async () => {
  await Promise.all([wss.close(), pems.cleanup(), corpProxy.close()]);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

function newDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-intercept-profile-'));
  dirs.push(dir);
  return dir;
}

const ENV = () => ({ TUNNELSCOPE_SECRET_STORE: 'keyfile', TUNNELSCOPE_OS_CA_BUNDLE: pems.path('upstream-ca.pem') });

/** The profile "Corp": its proxy with ann's sign-in, and localhost on its passthrough list. */
async function saveCorp(on: Engine): Promise<string> {
  const saved = await on.call('profiles:save', {
    profile: {
      name: 'Corp',
      url: 'wss://corp.example/socket',
      proxy: { mode: 'manual', url: `http://127.0.0.1:${corpProxy.port}`, username: 'ann', password: { value: 's3cret' } },
      tls: {},
      interceptPassthrough: ['localhost'],
    },
  });
  if (!saved.ok) throw new Error(saved.error.message);
  return profileViewSchema.parse(saved.value).id;
}

/** A TLS handshake through a CONNECT tunnel, trusting only `ca`; the certificate the client was shown. */
async function certificateThrough(proxyPort: number, host: string, ca: string): Promise<X509Certificate | undefined> {
  const { status, socket } = await connectTunnel(proxyPort, `${host}:${wss.port}`);
  expect(status).toBe(200);
  // An IP address is checked against the certificate's IP names (no SNI for it).
  const secured = tls.connect({ socket, host, ...(host === '127.0.0.1' ? {} : { servername: host }), ca, ALPNProtocols: ['http/1.1'] });
  await new Promise<void>((resolve, reject) => {
    secured.once('secureConnect', resolve);
    secured.once('error', reject);
  });
  const seen = secured.getPeerX509Certificate();
  secured.destroy();
  return seen;
}

async function echoThrough(proxyUrl: string, url: string, ca: string, text: string): Promise<string> {
  // https-proxy-agent gives no servername for an IP address, so Node would check the name "localhost": check the address itself.
  const host = new URL(url).hostname;
  const options: https.RequestOptions = { agent: new HttpsProxyAgent(proxyUrl), ca, checkServerIdentity: (_name, cert) => tls.checkServerIdentity(host, cert) };
  const client = new WebSocket(url, options);
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  const echoed = new Promise<string>((resolve) => client.once('message', (data: Buffer) => resolve(data.toString())));
  client.send(text);
  const answer = await echoed;
  client.close();
  await new Promise((resolve) => client.once('close', resolve));
  return answer;
}

function connectsTo(proxy: FakeProxy, authority: string): boolean {
  const signedIn = `Basic ${Buffer.from('ann:s3cret').toString('base64')}`;
  return proxy.requests.some((r) => r.requestLine === `CONNECT ${authority} HTTP/1.1` && r.headers.some(([name, value]) => name.toLowerCase() === 'proxy-authorization' && value === signedIn));
}

describe('intercept with a profile, as the app starts it (intercept-proxy:start { profileId })', () => {
  it("goes out the profile's way; a host on its list is tunnelled untouched, another intercepted; the global list still counts", async () => {
    const made = new Engine({ host: 'web', version: 'test', env: ENV(), profiles: { dataDir: newDataDir() } });
    engine = made;
    const events: HostEvent[] = [];
    made.subscribe({ deliver: (event) => events.push(event), list: true });
    const profileId = await saveCorp(made);
    expect(await made.call('intercept-proxy:passthrough-add', { host: '10.0.0.5' })).toMatchObject({ ok: true, value: { list: 'global' } });

    const started = await made.call('intercept-proxy:start', { port: 0, profileId });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value).toMatchObject({
      running: true,
      upstream: `profile "Corp": http://127.0.0.1:${corpProxy.port}`,
      passthrough: ['10.0.0.5'],
      profile: { id: profileId, name: 'Corp', passthrough: ['localhost'] },
    });
    expect(JSON.stringify(started.value)).not.toContain('s3cret');
    const proxyUrl = started.value.address?.url ?? '';
    const port = started.value.address?.port ?? 0;
    const ca = await made.call('intercept-proxy:ca-cert', {});
    if (!ca.ok) throw new Error(ca.error.message);

    // On the profile's list: the server's own certificate reaches a client that trusts only the server's CA.
    const real = await certificateThrough(port, 'localhost', testCa().cert);
    expect(real?.fingerprint256).toBe(new X509Certificate(trustedServer().cert).fingerprint256);
    expect(await echoThrough(proxyUrl, `wss://localhost:${wss.port}/untouched`, testCa().cert, 'not decrypted')).toBe('not decrypted');
    const passed = await waitUntil('a passthrough row', () => events.find((e) => e.type === 'intercept-connection' && e.connection.kind === 'passthrough'));
    expect(passed).toMatchObject({ connection: { target: `localhost:${wss.port}`, passthroughList: { list: 'profile', profile: 'Corp' }, detail: expect.stringContaining('on the profile "Corp" passthrough list (localhost)') } });
    expect(events.some((e) => e.type === 'session-created')).toBe(false);

    // Not on it: intercepted with our leaf, captured as a session.
    const ours = await certificateThrough(port, '127.0.0.1', ca.value.pem);
    expect(ours?.fingerprint256).not.toBe(new X509Certificate(trustedServer().cert).fingerprint256);
    expect(ours?.issuer).toContain('Tunnelscope');
    expect(await echoThrough(proxyUrl, `wss://127.0.0.1:${wss.port}/captured`, ca.value.pem, 'decrypted')).toBe('decrypted');
    const captured = await waitUntil('the captured row with its decision', () =>
      events.find((e) => e.type === 'intercept-connection' && e.connection.kind === 'captured' && e.connection.decision !== undefined),
    );
    expect(captured).toMatchObject({ connection: { target: `wss://127.0.0.1:${wss.port}/captured` } });

    // Both ways out were the profile's proxy, signed in as ann.
    expect(connectsTo(corpProxy, `localhost:${wss.port}`)).toBe(true);
    expect(connectsTo(corpProxy, `127.0.0.1:${wss.port}`)).toBe(true);
  });

  it('"Pass through" adds to the profile\'s list while it runs with one (the profile is saved), and to the global list otherwise', async () => {
    const made = new Engine({ host: 'web', version: 'test', env: ENV(), profiles: { dataDir: newDataDir() } });
    engine = made;
    const profileId = await saveCorp(made);
    const without = await made.call('intercept-proxy:start', { port: 0, upstream: { mode: 'none' } });
    if (!without.ok) throw new Error(without.error.message);
    expect(await made.call('intercept-proxy:passthrough-add', { host: 'pinned.example', list: 'profile' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', path: 'list', message: expect.stringContaining('not running with a profile') },
    });
    await made.call('intercept-proxy:stop', {});

    const started = await made.call('intercept-proxy:start', { port: 0, profileId });
    if (!started.ok) throw new Error(started.error.message);
    const added = await made.call('intercept-proxy:passthrough-add', { host: 'Pinned.example', list: 'profile' });
    if (!added.ok) throw new Error(added.error.message);
    expect(added.value).toMatchObject({ added: true, pattern: 'Pinned.example', hosts: ['localhost', 'Pinned.example'], list: 'profile', profile: { id: profileId, revision: 2 } });
    expect(await made.call('intercept-proxy:passthrough-add', { host: 'pinned.EXAMPLE', list: 'profile' })).toMatchObject({ ok: true, value: { added: false, hosts: ['localhost', 'Pinned.example'] } });
    expect(await made.call('intercept-proxy:passthrough-add', { host: 'a b', list: 'profile' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'host' } });
    const status = await made.call('intercept-proxy:status', {});
    expect(status.ok && status.value.status.profile?.passthrough).toEqual(['localhost', 'Pinned.example']);
    const read = await made.call('profiles:get', { id: profileId });
    expect(read.ok && profileViewSchema.parse(read.value).interceptPassthrough).toEqual(['localhost', 'Pinned.example']);
    // The global list is untouched.
    expect(status.ok && status.value.status.passthrough).toEqual([]);
  });

  it('refuses an unknown profile and a profile together with an upstream of its own, naming the field, before anything listens', async () => {
    const made = new Engine({ host: 'web', version: 'test', env: ENV(), profiles: { dataDir: newDataDir() } });
    engine = made;
    const profileId = await saveCorp(made);
    expect(await made.call('intercept-proxy:start', { port: 0, profileId: 'no-such-profile' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_PROFILE', path: 'profileId', message: expect.stringMatching(/^intercept-proxy:start: profileId: there is no profile with id no-such-profile/) },
    });
    expect(await made.call('intercept-proxy:start', { port: 0, profileId, upstream: { mode: 'none' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', path: 'upstream', message: expect.stringContaining("the way out and the servers' trust are the profile's") },
    });
    await expect(made.call('intercept-proxy:status', {})).resolves.toMatchObject({ ok: true, value: { status: { running: false } } });
  });
});

describe('tunnelscope intercept --profile', () => {
  it("prints the profile's way out and list, tunnels a host on it untouched and says which list; an unknown name is a usage error", async () => {
    const dataDir = newDataDir();
    const setup = new Engine({ host: 'cli', version: 'test', env: ENV(), profiles: { dataDir } });
    await saveCorp(setup);
    await setup.dispose();

    const unknown = fakeIo();
    unknown.env = ENV();
    const unknownCommand = parseCommandLine(['intercept', '--port', '0', '--profile', 'Nope']);
    if (unknownCommand.kind !== 'intercept' || unknownCommand.action !== 'run') throw new Error('not an intercept run');
    const probe = new Engine({ host: 'cli', version: 'test', env: unknown.env, profiles: { dataDir } });
    expect(await runIntercept(unknownCommand, probe, dataDir, unknown)).toBe(2);
    await probe.dispose();
    expect(unknown.stderrText()).toMatch(/^tunnelscope: --profile: there is no profile named "Nope" \(the profiles are "Corp"\)/);

    const streams = fakeIo();
    streams.env = ENV();
    const command = parseCommandLine(['intercept', '--port', '0', '--profile', 'corp']);
    if (command.kind !== 'intercept' || command.action !== 'run') throw new Error('not an intercept run');
    const cli = new Engine({ host: 'cli', version: 'test', env: streams.env, profiles: { dataDir } });
    const exit = runIntercept(command, cli, dataDir, streams);
    try {
      const port = Number(
        (await waitUntil('the listening line', () => /Intercepting on http:\/\/127\.0\.0\.1:(\d+)/.exec(streams.stderrText()) ?? undefined))[1],
      );
      expect(streams.stderrText()).toContain(`(upstream: profile "Corp": http://127.0.0.1:${corpProxy.port}; permessage-deflate: strip)`);
      expect(streams.stderrText()).toContain('Passed through untouched (not decrypted): localhost (profile "Corp").');
      const real = await certificateThrough(port, 'localhost', testCa().cert);
      expect(real?.fingerprint256).toBe(new X509Certificate(trustedServer().cert).fingerprint256);
      // With the way out the tunnel took: the profile's proxy (its credentials only said to be there).
      await waitUntil('the passthrough line', () => streams.stdoutText().includes(`passed through untouched (localhost, profile "Corp" list; via http://127.0.0.1:${corpProxy.port} (with credentials)): `) || undefined);
      expect(connectsTo(corpProxy, `localhost:${wss.port}`)).toBe(true);
      // A client that refuses our certificate for a host not on the list: the way round it names the profile too.
      await expect(certificateThrough(port, '127.0.0.1', testCa().cert)).rejects.toThrow();
      await waitUntil('the refusal line', () => streams.stdoutText().includes('rejected Tunnelscope\'s certificate for 127.0.0.1') || undefined);
      expect(streams.stdoutText()).toContain('(or --passthrough 127.0.0.1 for this run); or on the profile\'s own list: tunnelscope intercept passthrough add 127.0.0.1 --profile Corp\n');
      expect(`${streams.stdoutText()}${streams.stderrText()}`).not.toContain('s3cret');
    } finally {
      streams.interrupt();
      expect(await exit).toBe(0);
      await cli.dispose();
    }
  });

  it('intercept passthrough add|list|remove --profile: changes the profile\'s own list (saved, secrets kept), says what it did; an unknown profile is a usage error', async () => {
    const dataDir = newDataDir();
    const engine = new Engine({ host: 'cli', version: 'test', env: ENV(), profiles: { dataDir } });
    try {
      const profileId = await saveCorp(engine);
      const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
        const streams = fakeIo();
        const command = parseCommandLine(['intercept', 'passthrough', ...args]);
        if (command.kind !== 'intercept' || command.action !== 'passthrough') throw new Error('not intercept passthrough');
        const code = await runProfilePassthrough(command, command.profile ?? '', engine, streams);
        return { code, out: streams.stdoutText(), err: streams.stderrText() };
      };
      expect(await run('add', '*.Bank.example', '--profile', 'corp')).toEqual({ code: 0, out: '', err: 'Added *.Bank.example to the passthrough list of profile "Corp": intercept --profile passes it untouched from its next run on.\n' });
      expect(await run('add', '*.bank.EXAMPLE', '--profile', 'Corp')).toMatchObject({ code: 0, err: '*.Bank.example is in the passthrough list of profile "Corp" already.\n' });
      expect(await run('list', '--profile', 'Corp')).toEqual({ code: 0, out: 'localhost\n*.Bank.example\n', err: '2 host patterns in the passthrough list of profile "Corp".\n' });
      expect(await run('remove', 'LOCALHOST', '--profile', 'Corp')).toMatchObject({ code: 0, err: 'Removed localhost from the passthrough list of profile "Corp".\n' });
      expect(await run('remove', 'localhost', '--profile', 'Corp')).toMatchObject({ code: 0, err: expect.stringContaining('is not in the passthrough list of profile "Corp"; nothing changed') });
      expect(await run('list', '--profile', 'Nope')).toMatchObject({ code: 2, err: expect.stringMatching(/^tunnelscope: --profile: there is no profile named "Nope"/) });
      // Saved with its revision; the proxy password is still there (the way out still signs in).
      const read = await engine.call('profiles:get', { id: profileId });
      const view = read.ok ? profileViewSchema.parse(read.value) : undefined;
      expect(view?.interceptPassthrough).toEqual(['*.Bank.example']);
      expect(view?.proxy.password).toEqual({ set: true });
      const route = await engine.interceptProfile(profileId);
      expect(route.ok && route.value.route.proxyAuth).toEqual({ username: 'ann', password: 's3cret' });
      // The global list is not touched.
      expect(fs.existsSync(path.join(dataDir, 'intercept-passthrough.json'))).toBe(false);
    } finally {
      await engine.dispose();
    }
  });
});
