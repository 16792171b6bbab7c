/**
 * The CLI against a real Squid with Basic auth, the password never on the command line:
 * TUNNELSCOPE_PROXY_USER, and `--proxy-user @<(…)` (bash's process substitution: a pipe, read
 * to its end) sign in with no "visible in ps" warning; the same password typed as
 * `--proxy-user user:password` signs in too, with the one warning.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_ENTRY, envWithoutProxies, ROOT, runCli, stopCliProcesses } from '../../support/cli-process';
import { squidMissing, startSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';

const USER = 'alice';
const PASSWORD = 'sq-unseen-4471';
const WARNING = /visible to other users of this computer in the process list \(ps\)/g;

const title = `Squid (Basic), the CLI's proxy password out of the process list${squidMissing ? ` (skipped: ${squidMissing})` : ''}`;

describe.skipIf(squidMissing !== undefined)(title, { timeout: 90_000 }, () => {
  const fixture = useRealProxies('squid', {
    basic: () => startSquid({ connectPorts: 'any', auth: { username: USER, password: PASSWORD, schemes: ['basic'] } }),
  });

  afterEach(stopCliProcesses);

  const args = (): string[] => ['connect', `${fixture.servers().ws.url}/unseen`, '--proxy', fixture.proxy('basic').url, '--send', 'via squid', '--count', '1'];
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...envWithoutProxies(), NO_COLOR: '1', ...extra });

  it('TUNNELSCOPE_PROXY_USER signs in; no warning', async () => {
    const result = await runCli(args(), { env: env({ TUNNELSCOPE_PROXY_USER: `${USER}:${PASSWORD}` }) });
    expect(result.code, `${result.stdout}\n${result.stderr}\n${fixture.proxy('basic').logs()}`).toBe(0);
    expect(result.stdout).toContain('via squid');
    expect(result.stderr).not.toMatch(WARNING);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('--proxy-user @<(printf …) from bash: the pipe is read, signs in; no warning', async () => {
    const quoted = [process.execPath, '--import', 'tsx', CLI_ENTRY, ...args()].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
    // The password reaches printf through the environment, not through bash's own command line.
    const script = `${quoted} --proxy-user @<(printf '%s:%s\\n' "$U" "$P")`;
    const child = spawn('bash', ['-c', script], { cwd: ROOT, env: env({ U: USER, P: PASSWORD }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('via squid');
    expect(stderr).not.toMatch(WARNING);
  });

  it('typed as --proxy-user user:password: signs in, and the one warning', async () => {
    const result = await runCli([...args(), '--proxy-user', `${USER}:${PASSWORD}`], { env: env() });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stderr.match(WARNING)).toHaveLength(1);
    expect(result.stderr).toContain('give it instead as TUNNELSCOPE_PROXY_USER=user:password or --proxy-user @file');
  });
});
