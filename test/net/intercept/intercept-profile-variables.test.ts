/**
 * An intercept run with a profile fills the `{{variables}}` of the profile's way out from the
 * profile's environment, as `connect --profile` does: a manual proxy `http://{{proxyHost}}:<port>`
 * signed in as `{{user}}` reaches the real (fake) proxy as ann, through the engine's command (the
 * Intercept page) and `tunnelscope intercept --profile`; a variable the environment lacks is
 * refused before anything listens, in the same words as connect --profile's refusal (exit 2 for
 * both commands); the CLI's --env and --var work as connect --profile's. Real sockets on
 * 127.0.0.1, servers on port 0.
 */
import fs from 'node:fs';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { runIntercept } from '../../../src-main/cli/intercept-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { startBasicAuthProxy, type FakeProxy } from '../../support/fake-proxy';
import { waitUntil } from '../../support/wait-until';
import { fakeIo } from '../../unit/cli/fake-engine';
import { valueOf } from '../../unit/profiles/profile-fixtures';

let pems: PemDir;
let wss: EchoServer;
let corpProxy: FakeProxy;
const dirs: string[] = [];
let engine: Engine | undefined;

beforeAll(async () => {
  const server = trustedServer();
  pems = await writePems({ 'upstream-ca.pem': testCa().cert });
  wss = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
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

const ENV = () => ({ TUNNELSCOPE_SECRET_STORE: 'keyfile', TUNNELSCOPE_OS_CA_BUNDLE: pems.path('upstream-ca.pem') });

function newEngine(host: 'web' | 'cli', dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-intercept-vars-'))): Engine {
  if (!dirs.includes(dataDir)) dirs.push(dataDir);
  const made = new Engine({ host, version: 'test', env: ENV(), batch: { intervalMs: 5 }, profiles: { dataDir } });
  engine = made;
  return made;
}

/** "Corp": its proxy and user name written as variables, filled by its environment (which may lack `user`). */
async function saveCorp(on: Engine, variables: { name: string; value: string }[]): Promise<string> {
  const environment = await on.call('environments:save', { environment: { name: 'Corp net', variables: variables.map((v) => ({ ...v, secret: false })) } });
  if (!environment.ok) throw new Error(environment.error.message);
  const saved = await on.call('profiles:save', {
    profile: {
      name: 'Corp',
      url: `wss://127.0.0.1:${wss.port}/own`,
      proxy: { mode: 'manual', url: `http://{{proxyHost}}:${corpProxy.port}`, username: '{{user}}', password: { value: 's3cret' } },
      tls: {},
      environmentId: environment.value.id,
    },
  });
  if (!saved.ok) throw new Error(saved.error.message);
  return profileViewSchema.parse(saved.value).id;
}

async function echoThrough(proxyUrl: string, url: string, ca: string, text: string): Promise<string> {
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

function signedInAsAnn(authority: string): boolean {
  const signedIn = `Basic ${Buffer.from('ann:s3cret').toString('base64')}`;
  return corpProxy.requests.some((r) => r.requestLine === `CONNECT ${authority} HTTP/1.1` && r.headers.some(([name, value]) => name.toLowerCase() === 'proxy-authorization' && value === signedIn));
}

const FILLED = [
  { name: 'proxyHost', value: '127.0.0.1' },
  { name: 'user', value: 'ann' },
];
const MISSING_USER = 'the proxy user name: {{user}} is not defined in the environment "Corp net"; nothing was sent';

describe("intercept with a profile fills its way out's {{variables}} from its environment", () => {
  it('the Intercept page (intercept-proxy:start { profileId }): goes out through the filled-in proxy, signed in as the filled-in user', async () => {
    const made = newEngine('web');
    const profileId = await saveCorp(made, FILLED);
    const started = await made.call('intercept-proxy:start', { port: 0, profileId });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.upstream).toBe(`profile "Corp": http://127.0.0.1:${corpProxy.port}`);
    const ca = await made.call('intercept-proxy:ca-cert', {});
    if (!ca.ok) throw new Error(ca.error.message);
    expect(await echoThrough(started.value.address?.url ?? '', `wss://127.0.0.1:${wss.port}/captured`, ca.value.pem, 'through corp')).toBe('through corp');
    expect(signedInAsAnn(`127.0.0.1:${wss.port}`)).toBe(true);
  });

  it('a variable its environment lacks: refused before anything listens, in connect --profile’s words', async () => {
    const made = newEngine('web');
    const profileId = await saveCorp(made, [{ name: 'proxyHost', value: '127.0.0.1' }]);
    expect(await made.call('intercept-proxy:start', { port: 0, profileId })).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', path: 'profileId', message: `intercept-proxy:start: profileId: ${MISSING_USER}` },
    });
    await expect(made.call('intercept-proxy:status', {})).resolves.toMatchObject({ ok: true, value: { status: { running: false } } });
    // connect --profile says the same of the same profile.
    const command = parseCommandLine(['connect', '--profile', 'Corp', '--listen']);
    if (command.kind !== 'connect') throw new Error('expected connect');
    const io = fakeIo();
    expect(await runConnect(command, made, io)).toBe(2);
    expect(io.stderrText()).toContain(`could not open the session: ${MISSING_USER}`);
  });

  it('tunnelscope intercept --profile: the same way out; a missing variable is exit 2 with the same words', async () => {
    const setup = newEngine('cli');
    const dataDir = dirs[dirs.length - 1] ?? '';
    await saveCorp(setup, FILLED);
    await setup.dispose();

    const streams = fakeIo();
    streams.env = ENV();
    const command = parseCommandLine(['intercept', '--port', '0', '--profile', 'Corp']);
    if (command.kind !== 'intercept' || command.action !== 'run') throw new Error('not an intercept run');
    const cli = newEngine('cli', dataDir);
    const exit = runIntercept(command, cli, dataDir, streams);
    try {
      await waitUntil('the listening line', () => /Intercepting on http:\/\/127\.0\.0\.1:\d+/.test(streams.stderrText()) || undefined);
      expect(streams.stderrText()).toContain(`(upstream: profile "Corp": http://127.0.0.1:${corpProxy.port};`);
    } finally {
      streams.interrupt();
      expect(await exit).toBe(0);
      await cli.dispose();
    }

    const lacking = newEngine('cli');
    const lackingDir = dirs[dirs.length - 1] ?? '';
    await saveCorp(lacking, [{ name: 'proxyHost', value: '127.0.0.1' }]);
    const refused = fakeIo();
    refused.env = ENV();
    expect(await runIntercept(command, lacking, lackingDir, refused)).toBe(2);
    expect(refused.stderrText()).toBe(`tunnelscope: --profile: ${MISSING_USER}\n`);
  });
});

describe('tunnelscope intercept --profile with --env and --var', () => {
  /** Runs `intercept --port 0 --profile Corp <args>` until it listens (then stops it), or to its refusal. */
  async function runWith(dataDir: string, args: string[]): Promise<{ code: number; err: string }> {
    const streams = fakeIo();
    streams.env = ENV();
    const command = parseCommandLine(['intercept', '--port', '0', '--profile', 'Corp', ...args]);
    if (command.kind !== 'intercept' || command.action !== 'run') throw new Error('not an intercept run');
    const cli = newEngine('cli', dataDir);
    const exit = runIntercept(command, cli, dataDir, streams);
    const listening = await Promise.race([exit.then(() => false), waitUntil('the listening line', () => /Intercepting on /.test(streams.stderrText()) || undefined)]);
    if (listening) streams.interrupt();
    const code = await exit;
    await cli.dispose();
    return { code, err: streams.stderrText() };
  }

  it('--var fills what the profile’s environment lacks, --env takes another environment; an unknown one is exit 2', async () => {
    const setup = newEngine('cli');
    const dataDir = dirs[dirs.length - 1] ?? '';
    await saveCorp(setup, [{ name: 'proxyHost', value: '127.0.0.1' }]);
    valueOf(await setup.call('environments:save', { environment: { name: 'Other net', variables: FILLED.map((v) => ({ ...v, secret: false })) } }));
    await setup.dispose();

    expect(await runWith(dataDir, [])).toEqual({ code: 2, err: `tunnelscope: --profile: ${MISSING_USER}\n` });
    const withVar = await runWith(dataDir, ['--var', 'user=ann']);
    expect(withVar.code).toBe(0);
    expect(withVar.err).toContain(`(upstream: profile "Corp": http://127.0.0.1:${corpProxy.port};`);
    const withEnv = await runWith(dataDir, ['--env', 'other NET']);
    expect(withEnv.code).toBe(0);
    expect(withEnv.err).toContain(`(upstream: profile "Corp": http://127.0.0.1:${corpProxy.port};`);
    const unknown = await runWith(dataDir, ['--env', 'Nope']);
    expect(unknown).toEqual({ code: 2, err: 'tunnelscope: --env: there is no environment named "Nope" (the environments are "Corp net", "Other net")\n' });
  });
});

describe('an intercept profile whose environment was deleted', () => {
  it('runs without one, with a note, as connect --profile does; its variables are then not defined', async () => {
    const made = newEngine('web');
    const profileId = await saveCorp(made, FILLED);
    const listed = await made.call('environments:list', {});
    const id = listed.ok ? listed.value.environments[0]?.id : undefined;
    if (id === undefined) throw new Error('no environment saved');
    expect((await made.call('environments:delete', { id })).ok).toBe(true);
    const read = await made.interceptProfile(profileId);
    expect(read).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'options.proxy.url', message: 'the proxy URL: {{proxyHost}} is not defined: no environment is chosen; nothing was sent' } });
    const plain = await made.call('profiles:save', { profile: { name: 'Plain', url: 'wss://x.example/', proxy: { mode: 'none' }, tls: {}, environmentId: id } });
    if (!plain.ok) throw new Error(plain.error.message);
    const noted = await made.interceptProfile(profileViewSchema.parse(plain.value).id);
    expect(noted.ok && noted.value.notes).toEqual(['the environment of profile "Plain" was deleted; intercepting without one']);
    // The app's Intercept page reads the same note from the running proxy's status.
    const started = await made.call('intercept-proxy:start', { port: 0, profileId: profileViewSchema.parse(plain.value).id });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.profile?.notes).toEqual(['the environment of profile "Plain" was deleted; intercepting without one']);
    expect((await made.call('intercept-proxy:stop', {})).ok).toBe(true);
  });
});

describe('a secret variable in an intercept profile’s way out', () => {
  it('is used to go out but redacted in the status words and the captured session’s proxy decision', async () => {
    const made = newEngine('web');
    const events: unknown[] = [];
    made.onEvent((event) => events.push(event));
    const environment = await made.call('environments:save', {
      environment: { name: 'Corp net', variables: [{ name: 'proxyHost', secret: true, value: { value: '127.0.0.1' } }, { name: 'user', secret: false, value: 'ann' }] },
    });
    if (!environment.ok) throw new Error(environment.error.message);
    const saved = await made.call('profiles:save', {
      profile: { name: 'Corp', url: 'wss://x.example/', proxy: { mode: 'manual', url: `http://{{proxyHost}}:${corpProxy.port}`, username: '{{user}}', password: { value: 's3cret' } }, tls: {}, environmentId: environment.value.id },
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const started = await made.call('intercept-proxy:start', { port: 0, profileId: profileViewSchema.parse(saved.value).id });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.upstream).toBe(`profile "Corp": http://••••••:${corpProxy.port}`);
    const ca = await made.call('intercept-proxy:ca-cert', {});
    if (!ca.ok) throw new Error(ca.error.message);
    expect(await echoThrough(started.value.address?.url ?? '', `wss://localhost:${wss.port}/captured`, ca.value.pem, 'secret way')).toBe('secret way');
    expect(signedInAsAnn(`localhost:${wss.port}`)).toBe(true);
    // The captured session redacts it as a connect session would (its words; addresses stay numbers).
    const decision = await waitUntil('the proxy decision', () => events.find((e): e is { type: 'proxy-decision'; decision: { candidates: { url: string }[] } } => (e as { type: string }).type === 'proxy-decision'));
    expect(decision.decision.candidates.map((c) => c.url)).toEqual([`http://••••••:${corpProxy.port}`]);
  });
});
