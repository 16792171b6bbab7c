/**
 * `connect --env <name> --var name=value`, run in process against the real Engine (with a
 * data folder holding a saved environment) and an echo server on 127.0.0.1: the {{name}}s
 * reach the server filled in, a secret variable never reaches the output, and an unknown one
 * is exit 2 before anything connects. With --profile and without.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { startEchoServer, type EchoServer } from '../../support/echo-server';
import { fakeIo } from '../../unit/cli/fake-engine';
import { makeTempDir, valueOf } from '../../unit/profiles/profile-fixtures';

const SECRET = 'cli-SECRET-77d1e0';

let echo: EchoServer;
let temp: ReturnType<typeof makeTempDir>;
let engine: Engine | undefined;

beforeAll(async () => {
  echo = await startEchoServer();
});

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  temp?.cleanup();
});

afterAll(async () => {
  await echo.close();
});

async function engineWithEnvironment(): Promise<Engine> {
  temp = makeTempDir();
  const made = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 }, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  engine = made;
  valueOf(
    await made.call('environments:save', {
      environment: {
        name: 'Staging',
        variables: [
          { name: 'host', secret: false, value: `127.0.0.1:${echo.port}` },
          { name: 'who', secret: false, value: 'staging-user' },
          { name: 'token', secret: true, value: { value: SECRET } },
        ],
      },
    }),
  );
  return made;
}

async function run(made: Engine, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const command = parseCommandLine(['connect', ...args]);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  const code = await runConnect(command, made, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('connect --env / --var', () => {
  it('fills the URL, a header and a --send text from the environment; --var wins; the secret is never printed', async () => {
    const made = await engineWithEnvironment();
    const before = echo.upgrades.length;
    const { code, out, err } = await run(made, [
      'ws://{{host}}/chat?key={{token}}',
      '--no-proxy',
      '--env',
      'staging',
      '--var',
      'who=cli-user',
      '-H',
      'X-Api-Token: Bearer {{token}}',
      '-H',
      'X-Who: {{who}}',
      '--send',
      'hello {{who}} #{{$counter}}',
      '--json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(echo.upgrades[before]?.['x-api-token']).toBe(`Bearer ${SECRET}`);
    expect(echo.upgrades[before]?.['x-who']).toBe('cli-user');
    const frames = out.trim().split('\n').map((line) => JSON.parse(line) as { type: string; dir?: string; opcode?: string; text?: string });
    expect(frames.filter((l) => l.type === 'frame' && l.dir === 'in' && l.opcode === 'text').map((l) => l.text)).toEqual(['hello cli-user #1']);
    expect(out).not.toContain(SECRET);
    expect(out).toContain('key=••••••');
  });

  it('an unknown variable is exit 2 naming it and the field, before anything connects', async () => {
    const made = await engineWithEnvironment();
    const before = echo.upgrades.length;
    const { code, err } = await run(made, ['ws://{{host}}/', '--no-proxy', '--env', 'Staging', '-H', 'X-Tenant: {{tenant}}', '--listen']);
    expect(code).toBe(2);
    expect(err).toContain('header X-Tenant: {{tenant}} is not defined in the environment "Staging"; nothing was sent');
    expect(echo.upgrades.length).toBe(before);
    const unnamed = await run(made, ['ws://{{host}}/', '--no-proxy', '--listen']);
    expect(unnamed.code).toBe(2);
    expect(unnamed.err).toContain('the URL: {{host}} is not defined: no environment is chosen');
    const missing = await run(made, ['ws://{{host}}/', '--no-proxy', '--env', 'Prod', '--listen']);
    expect(missing).toMatchObject({ code: 2, err: 'tunnelscope: --env: there is no environment named "Prod" (the environments are "Staging")\n' });
  });

  it('works with --profile, whose URL and headers hold {{variables}}', async () => {
    const made = await engineWithEnvironment();
    valueOf(
      await made.call('profiles:save', {
        profile: { name: 'Templated', url: 'ws://{{host}}/p', headers: [{ name: 'X-Who', secret: false, value: '{{who}}' }], proxy: { mode: 'none' }, tls: {} },
      }),
    );
    const before = echo.upgrades.length;
    const { code, err } = await run(made, ['--profile', 'Templated', '--env', 'Staging', '--send', 'x']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(echo.upgrades[before]?.['x-who']).toBe('staging-user');
  });

  it("--profile uses the profile's environment unless --env is given; a deleted one is none, with a note", async () => {
    const made = await engineWithEnvironment();
    const staging = valueOf(await made.call('environments:list', {})).environments[0];
    if (!staging) throw new Error('no environment');
    const other = valueOf(await made.call('environments:save', { environment: { name: 'Other', variables: [{ name: 'host', secret: false, value: `127.0.0.1:${echo.port}` }, { name: 'who', secret: false, value: 'other-user' }] } }));
    valueOf(
      await made.call('profiles:save', {
        profile: { name: 'Remembers', url: 'ws://{{host}}/p', headers: [{ name: 'X-Who', secret: false, value: '{{who}}' }], proxy: { mode: 'none' }, tls: {}, environmentId: staging.id },
      }),
    );
    let before = echo.upgrades.length;
    const own = await run(made, ['--profile', 'Remembers', '--send', 'x']);
    expect(own).toMatchObject({ code: 0, err: '' });
    expect(echo.upgrades[before]?.['x-who']).toBe('staging-user');

    before = echo.upgrades.length;
    const given = await run(made, ['--profile', 'Remembers', '--env', 'Other', '--send', 'x']);
    expect(given).toMatchObject({ code: 0, err: '' });
    expect(echo.upgrades[before]?.['x-who']).toBe('other-user');

    valueOf(await made.call('environments:delete', { id: staging.id }));
    before = echo.upgrades.length;
    const deleted = await run(made, ['--profile', 'Remembers', '--var', `host=127.0.0.1:${echo.port}`, '--var', 'who=typed', '--send', 'x']);
    expect(deleted.err).toBe('tunnelscope: note: the environment of profile "Remembers" was deleted; connecting without one\n');
    expect(deleted.code).toBe(0);
    expect(echo.upgrades[before]?.['x-who']).toBe('typed');
    expect(other.name).toBe('Other');
  });

  it('checks --var and --env as it reads them', () => {
    const usage = (...args: string[]): string => {
      try {
        parseCommandLine(['connect', 'ws://{{host}}/', ...args]);
      } catch (error) {
        if (error instanceof UsageError) return error.message;
        throw error;
      }
      return '';
    };
    expect(usage('--var', 'novalue')).toBe('--var "novalue": give it as name=value (a variable name, =, its value)');
    expect(usage('--var', '=x')).toBe('--var "=x": give it as name=value (a variable name, =, its value)');
    expect(usage('--var', 'two words=x')).toBe('--var "two words": a variable name starts with a letter or _, then letters, digits, _, - and . (no spaces, no $)');
    expect(usage('--env', ' ')).toBe('--env needs the name of a saved environment (Development, Staging …)');
    expect(usage('--var', 'a=1')).toBe('');
    expect(parseCommandLine(['connect', 'ws://{{host}}/', '--var', 'a=1', '--var', 'b=x=y', '--var', 'a=2'])).toMatchObject({
      variables: { values: [{ name: 'b', value: 'x=y' }, { name: 'a', value: '2' }] },
    });
    expect(usage()).toBe('');
    // The URL's template syntax is checked at once; the whole URL once filled in.
    let bad = '';
    try {
      parseCommandLine(['connect', 'ws://{{host/']);
    } catch (error) {
      bad = error instanceof Error ? error.message : '';
    }
    expect(bad).toBe('the URL "ws://{{host/": {{ at character 6 is not closed with }}');
  });
});
