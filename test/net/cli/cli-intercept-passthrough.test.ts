/**
 * `tunnelscope intercept` and its passthrough list as the CLI runs them (parsed and run in this
 * process as main() does, in-memory streams, a temporary data folder): `intercept passthrough add|list|remove` and their
 * mistakes, a damaged list that stops the proxy from starting, the listening line naming the
 * list, a passthrough tunnel's line, and a client that refuses our certificate named with the
 * command that lets it through.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIntercept } from '../../../src-main/cli/intercept-command';
import { runInterceptPassthrough } from '../../../src-main/cli/intercept-passthrough';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { testCa, trustedServer } from '../../support/certs';
import { connectTunnel } from '../../support/intercept-fixture';
import { fakeIo, type FakeIo } from '../../unit/cli/fake-engine';
import { startEchoServer } from '../../support/echo-server';

const WAIT_MS = 20_000;
let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-cli-passthrough-'));
});

afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function io(): FakeIo {
  const made = fakeIo();
  // The key file, not the keyring: a test machine has no keyring session.
  made.env = { TUNNELSCOPE_SECRET_STORE: 'keyfile' };
  return made;
}

/** What main() does for the intercept commands (index.ts itself runs the process when imported). */
async function main(args: string[], streams: FakeIo): Promise<number> {
  let command;
  try {
    command = parseCommandLine(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    streams.stderr.write(`tunnelscope: ${error.message}\n`);
    return 2;
  }
  if (command.kind !== 'intercept') throw new Error(`not an intercept command: ${args.join(' ')}`);
  if (command.action === 'passthrough') return runInterceptPassthrough(command, dataDir, streams);
  if (command.action !== 'run') throw new Error('ca-cert is tested elsewhere');
  const engine = new Engine({ host: 'cli', version: 'test', env: streams.env });
  try {
    return await runIntercept(command, engine, dataDir, streams);
  } finally {
    await engine.dispose();
  }
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const streams = io();
  const code = await main([...args, '--data-dir', dataDir], streams);
  return { code, out: streams.stdoutText(), err: streams.stderrText() };
}

async function waitFor(what: string, test: () => boolean, streams: FakeIo): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > WAIT_MS) throw new Error(`${what} did not happen; stdout: ${streams.stdoutText()} stderr: ${streams.stderrText()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `intercept` running until `stop()` (Ctrl-C), its port read from the --json listening line. */
async function running(...args: string[]): Promise<{ streams: FakeIo; port: number; stop(): Promise<number> }> {
  const streams = io();
  const exit = main(['intercept', '--port', '0', '--data-dir', dataDir, ...args], streams);
  let port = 0;
  await waitFor('the listening line', () => {
    const text = `${streams.stdoutText()}${streams.stderrText()}`;
    const match = /"url":"http:\/\/127\.0\.0\.1:(\d+)"|Intercepting on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
    port = Number(match?.[1] ?? match?.[2] ?? 0);
    return port > 0;
  }, streams);
  return {
    streams,
    port,
    stop: async () => {
      streams.interrupt();
      return exit;
    },
  };
}

describe('tunnelscope intercept passthrough', () => {
  it('add, list and remove change the data folder\'s list; each says what it did', async () => {
    expect(await cli('intercept', 'passthrough')).toMatchObject({ code: 0, out: '', err: expect.stringMatching(/The passthrough list \(.*intercept-passthrough\.json\) is empty\./) });
    expect(await cli('intercept', 'passthrough', 'add', '*.bank.example')).toMatchObject({ code: 0, err: expect.stringMatching(/^Added \*\.bank\.example to .*intercept-passthrough\.json/) });
    expect(await cli('intercept', 'passthrough', 'add', '*.BANK.example')).toMatchObject({ code: 0, err: expect.stringMatching(/^\*\.bank\.example is in .* already\./) });
    expect(await cli('intercept', 'passthrough', 'add', '10.0.0.5')).toMatchObject({ code: 0 });
    expect(await cli('intercept', 'passthrough', 'list')).toMatchObject({ code: 0, out: '*.bank.example\n10.0.0.5\n', err: expect.stringMatching(/^2 host patterns in /) });
    expect(await cli('intercept', 'passthrough', 'remove', '10.0.0.5')).toMatchObject({ code: 0, err: expect.stringMatching(/^Removed 10\.0\.0\.5 from /) });
    expect(await cli('intercept', 'passthrough', 'remove', '10.0.0.5')).toMatchObject({ code: 0, err: expect.stringMatching(/is not in .*; nothing changed/) });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'intercept-passthrough.json'), 'utf8'))).toEqual({ version: 1, hosts: ['*.bank.example'] });
  });

  it('mistakes: a bad pattern is a usage error (2); a damaged list is named with its entry (1) and left alone, and the proxy does not start on it', async () => {
    expect(await cli('intercept', 'passthrough', 'add', 'bank.example:443')).toMatchObject({ code: 2, err: expect.stringMatching(/intercept passthrough add: "bank\.example:443" has a port/) });
    const file = path.join(dataDir, 'intercept-passthrough.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, hosts: ['ok.example', 'not ok'] }));
    const listed = await cli('intercept', 'passthrough', 'list');
    expect(listed).toMatchObject({ code: 1, err: expect.stringMatching(/^tunnelscope: the passthrough list .*intercept-passthrough\.json, hosts\[1\]: "not ok" is not a host/) });
    expect(await cli('intercept', 'passthrough', 'add', 'x.example')).toMatchObject({ code: 1, err: expect.stringMatching(/hosts\[1\]/) });
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify({ version: 1, hosts: ['ok.example', 'not ok'] }));
    const started = await cli('intercept', '--port', '0');
    expect(started).toMatchObject({ code: 1, err: expect.stringMatching(/hosts\[1\]: "not ok" is not a host/) });
    expect(await cli('intercept', '--passthrough', 'a b')).toMatchObject({ code: 2, err: expect.stringMatching(/--passthrough: "a b" is not a host/) });
  });
});

describe('tunnelscope intercept with a passthrough list, and a client that refuses our certificate', () => {
  it('the listening line names the list (file and --passthrough); a listed host is tunnelled and said so; an unlisted one refused by the client is named with the way round it', async () => {
    await cli('intercept', 'passthrough', 'add', 'localhost');
    const server = trustedServer();
    const echo = await startEchoServer({ tls: { cert: server.cert, key: server.key, hostname: 'localhost' } });
    const proxy = await running('--passthrough', '10.0.0.5');
    try {
      expect(proxy.streams.stderrText()).toContain('Passed through untouched (not decrypted): localhost, 10.0.0.5.');
      // A listed host: the real certificate, then the tunnel's line when it ends.
      const listed = await connectTunnel(proxy.port, `localhost:${echo.port}`);
      const real = tls.connect({ socket: listed.socket, servername: 'localhost', ca: testCa().cert });
      await new Promise<void>((resolve, reject) => {
        real.once('secureConnect', resolve);
        real.once('error', reject);
      });
      real.end();
      await waitFor('the passthrough line', () => /⇄ 127\.0\.0\.1:\d+ \(.+\) localhost:\d+ passed through untouched \(localhost, global list; direct\): \d+ B sent, \d+ B received/.test(proxy.streams.stdoutText()), proxy.streams);
      // An unlisted host: our leaf, which this client does not trust.
      const unlisted = await connectTunnel(proxy.port, '127.0.0.1:443');
      const refusing = tls.connect({ socket: unlisted.socket, servername: 'pinned.example', ca: testCa().cert });
      refusing.on('error', () => undefined);
      await waitFor('the refusal line', () => proxy.streams.stdoutText().includes("rejected Tunnelscope's certificate for 127.0.0.1"), proxy.streams);
      expect(proxy.streams.stdoutText()).toMatch(
        /✗ the client at 127\.0\.0\.1:\d+ \(.+\) rejected Tunnelscope's certificate for 127\.0\.0\.1 \(.+\) — it does not trust the CA or pins its server's certificate; to let it through undecrypted, add the host to the passthrough list: tunnelscope intercept passthrough add 127\.0\.0\.1/,
      );
      refusing.destroy();
    } finally {
      expect(await proxy.stop()).toBe(0);
      await echo.close();
    }
  });

  it('--json: the listening line lists the patterns; the refusal is a client-tls line with its message', async () => {
    const proxy = await running('--json', '--passthrough', '*.bank.example');
    try {
      const listening = JSON.parse(proxy.streams.stdoutText().split('\n')[0] ?? '{}') as { type?: string; passthrough?: string[]; deflate?: string };
      expect(listening).toMatchObject({ type: 'listening', passthrough: ['*.bank.example'], deflate: 'strip' });
      const unlisted = await connectTunnel(proxy.port, 'localhost:443');
      const refusing = tls.connect({ socket: unlisted.socket, servername: 'localhost', ca: testCa().cert });
      refusing.on('error', () => undefined);
      await waitFor('the client-tls line', () => proxy.streams.stdoutText().includes('"type":"client-tls"'), proxy.streams);
      const line = proxy.streams.stdoutText().split('\n').find((l) => l.includes('"type":"client-tls"')) ?? '';
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed).toMatchObject({ type: 'client-tls', host: 'localhost', rejectedCertificate: true, message: expect.stringContaining('tunnelscope intercept passthrough add localhost') });
      refusing.destroy();
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
  });
});
