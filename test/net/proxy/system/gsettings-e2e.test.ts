// End to end with the real `gsettings` (Linux): settings written to a private keyfile backend, read by the GNOME reader through
// the real runner. The user's own settings are never touched: GSETTINGS_BACKEND=keyfile with a private XDG_CONFIG_HOME and no D-Bus.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../../src-main/cli/cli-io';
import { parseCommandLine } from '../../../../src-main/cli/parse-args';
import { runResolve } from '../../../../src-main/cli/resolve-command';
import { Engine } from '../../../../src-main/core/engine';
import { routeToCandidate } from '../../../../src-main/core/proxy/proxy-endpoint';
import { commandRunner } from '../../../../src-main/core/proxy/system/run-command';
import { createSystemProxy } from '../../../../src-main/core/proxy/system/system-proxy';

const home = mkdtempSync(join(tmpdir(), 'gsettings-e2e-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: home, GSETTINGS_BACKEND: 'keyfile' };

/** Why the end-to-end test cannot run here, or undefined when it can. */
function missing(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  try {
    execFileSync('gsettings', ['list-keys', 'org.gnome.system.proxy'], { env, stdio: 'pipe', timeout: 5000 });
    return undefined;
  } catch (error) {
    const text = error instanceof Error && 'stderr' in error ? String(error.stderr) : '';
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'gsettings is not installed (package libglib2.0-bin)';
    if (/No such schema/.test(text)) return 'the schema org.gnome.system.proxy is missing (package gsettings-desktop-schemas)';
    return `gsettings does not run: ${text.trim().slice(0, 100)}`;
  }
}
const why = missing();
afterAll(() => rmSync(home, { recursive: true, force: true }));

function writeKeyfile(text: string): void {
  mkdirSync(join(home, 'glib-2.0', 'settings'), { recursive: true });
  writeFileSync(join(home, 'glib-2.0', 'settings', 'keyfile'), text);
}

async function ask(url: string): Promise<{ urls: string[]; reason: string }> {
  const target = new URL(url);
  const system = createSystemProxy({ env: { ...env, XDG_CURRENT_DESKTOP: 'GNOME' }, platform: 'linux', run: commandRunner(env) });
  const result = await system({ target, pacUrl: target.href, pacHost: target.hostname, timeoutMs: 10_000 });
  return { urls: result.routes.map((route) => routeToCandidate(route).url), reason: result.steps.join('; ') };
}

describe.skipIf(why !== undefined)(`GNOME settings through the real gsettings${why === undefined ? '' : ` (skipped: ${why})`}`, () => {
  it('reads the defaults (mode none) as DIRECT', async () => {
    writeKeyfile('');
    expect(await ask('wss://echo.example/')).toEqual({ urls: ['direct'], reason: 'GNOME proxy settings: none; DIRECT' });
  });

  it('reads manual mode with an https proxy, a socks host and ignore-hosts', async () => {
    writeKeyfile(
      [
        '[system/proxy]',
        "mode='manual'",
        "ignore-hosts=['localhost', '*.corp.example']",
        '[system/proxy/https]',
        "host='proxy.corp'",
        'port=8080',
        '[system/proxy/socks]',
        "host='socks.corp'",
        'port=1080',
        '',
      ].join('\n'),
    );
    expect(await ask('wss://echo.example/')).toEqual({
      urls: ['http://proxy.corp:8080'],
      reason: 'GNOME proxy settings: manual, https-proxy proxy.corp:8080, socks-proxy socks.corp:1080; wss:// uses the https proxy proxy.corp:8080',
    });
    expect((await ask('ws://echo.example/')).urls).toEqual(['socks5://socks.corp:1080']);
    expect((await ask('wss://build.corp.example/')).reason).toMatch(/ignore-hosts entry `\*\.corp\.example` matched, so DIRECT$/);
  });

  it('`tunnelscope resolve` (its default, auto, with no proxy variable) decides with these settings and says each step', async () => {
    writeKeyfile("[system/proxy]\nmode='manual'\n[system/proxy/https]\nhost='proxy.corp'\nport=8080\n");
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const cliEnv = { ...env, XDG_CURRENT_DESKTOP: 'GNOME' };
    const io: CliIo = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: cliEnv, onInterrupt: () => () => undefined };
    // As src-main/cli/index.ts starts its engine.
    const engine = new Engine({ host: 'cli', version: '1', env: cliEnv, systemProxy: createSystemProxy({ env: cliEnv, platform: 'linux' }) });
    const command = parseCommandLine(['resolve', 'wss://echo.example/', '--json']);
    if (command.kind !== 'resolve') throw new Error(`expected resolve, got ${command.kind}`);
    try {
      expect(await runResolve(command, engine, io)).toBe(0);
    } finally {
      await engine.dispose();
    }
    const line: unknown = JSON.parse(printed.trim().split('\n')[0] ?? '');
    expect(line).toMatchObject({
      type: 'resolve',
      source: 'system',
      proxy: 'http://proxy.corp:8080',
      reason: 'no proxy variable is set for wss://; GNOME proxy settings: manual, https-proxy proxy.corp:8080; wss:// uses the https proxy proxy.corp:8080',
    });
  });

  it('an invalid stored mode reads as gsettings reports it (its default, none)', async () => {
    writeKeyfile("[system/proxy]\nmode='sideways'\n");
    expect((await ask('wss://echo.example/')).reason).toBe('GNOME proxy settings: none; DIRECT');
  });
});
