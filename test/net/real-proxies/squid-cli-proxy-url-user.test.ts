/**
 * The CLI against a real Squid with Basic auth: `--proxy http://alice@…` (the user in the URL,
 * no password) signs in with alice's password from TUNNELSCOPE_PROXY_USER, with no "visible in
 * ps" warning and the password never printed; another user in the variable is exit 2 naming
 * both users.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';
import { squidMissing, startSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';

const USER = 'alice';
const PASSWORD = 'sq-url-user-5183';
const WARNING = /visible to other users of this computer in the process list \(ps\)/g;

const title = `Squid (Basic), a proxy URL with a user and no password${squidMissing ? ` (skipped: ${squidMissing})` : ''}`;

describe.skipIf(squidMissing !== undefined)(title, { timeout: 90_000 }, () => {
  const fixture = useRealProxies('squid', {
    basic: () => startSquid({ connectPorts: 'any', auth: { username: USER, password: PASSWORD, schemes: ['basic'] } }),
  });

  afterEach(stopCliProcesses);

  const args = (): string[] => {
    const proxy = new URL(fixture.proxy('basic').url);
    proxy.username = USER;
    return ['connect', `${fixture.servers().ws.url}/url-user`, '--proxy', proxy.href, '--send', 'via squid', '--count', '1'];
  };
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...envWithoutProxies(), NO_COLOR: '1', ...extra });

  it("TUNNELSCOPE_PROXY_USER gives the URL's user its password: signs in; no warning", async () => {
    const result = await runCli(args(), { env: env({ TUNNELSCOPE_PROXY_USER: `${USER}:${PASSWORD}` }) });
    expect(result.code, `${result.stdout}\n${result.stderr}\n${fixture.proxy('basic').logs()}`).toBe(0);
    expect(result.stdout).toContain('via squid');
    expect(result.stderr).not.toMatch(WARNING);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('another user in the variable: exit 2 naming both users, never the password', async () => {
    const result = await runCli(args(), { env: env({ TUNNELSCOPE_PROXY_USER: `bob:${PASSWORD}` }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--proxy's URL names the user alice and TUNNELSCOPE_PROXY_USER the user bob");
    expect(result.stderr).not.toContain(PASSWORD);
  });
});
