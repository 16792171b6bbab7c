/**
 * A proxy URL with a user and no password (`--proxy http://alice@proxy`, `--upstream
 * http://alice@proxy`) takes that user's password from where a proxy password goes:
 * TUNNELSCOPE_PROXY_USER, --proxy-user @file or --proxy-user (noted as visible). Another user
 * there is a usage error naming both users and never the password; without any, the URL's
 * user goes alone as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type CliCommand } from '../../../src-main/cli/parse-args';

let dir = '';
const file = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-proxy-url-user-'));
  fs.writeFileSync(file('alice'), 'alice:pw-from-file-3\n');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function usage(args: string[], env: Record<string, string> = {}): string {
  try {
    parseCommandLine(args, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

function visible(command: CliCommand): unknown {
  return 'visibleSecrets' in command ? command.visibleSecrets : undefined;
}

const PROXY = 'http://alice@127.0.0.1:3128';
const CONNECT = ['connect', 'ws://127.0.0.1:9/', '--proxy', PROXY];
const INTERCEPT = ['intercept', '--upstream', PROXY];

function connectProxy(args: string[], env: Record<string, string> = {}) {
  const command = parseCommandLine(args, env);
  if (command.kind !== 'connect') throw new Error(command.kind);
  return { proxy: command.options?.proxy, secrets: command.secrets, visible: visible(command) };
}

function interceptAuth(args: string[], env: Record<string, string> = {}) {
  const command = parseCommandLine(args, env);
  if (command.kind !== 'intercept' || command.action !== 'run') throw new Error(command.kind);
  return { auth: command.upstreamAuth, url: command.upstream, secrets: command.secrets, visible: visible(command) };
}

describe('connect --proxy http://alice@proxy', () => {
  it('TUNNELSCOPE_PROXY_USER for alice gives the password beside the URL', () => {
    const got = connectProxy(CONNECT, { TUNNELSCOPE_PROXY_USER: 'alice:pw-env-1' });
    expect(got.proxy).toEqual({ mode: 'manual', url: PROXY, username: 'alice', password: 'pw-env-1' });
    expect(got.secrets).toContain('pw-env-1');
    expect(got.visible).toBeUndefined();
  });

  it('--proxy-user @file too; typed --proxy-user as well, noted as visible', () => {
    expect(connectProxy([...CONNECT, '--proxy-user', `@${file('alice')}`]).proxy).toMatchObject({ username: 'alice', password: 'pw-from-file-3' });
    const typed = connectProxy([...CONNECT, '--proxy-user', 'alice:pw-typed-2']);
    expect(typed.proxy).toMatchObject({ username: 'alice', password: 'pw-typed-2' });
    expect(typed.visible).toEqual([expect.objectContaining({ where: 'the password in --proxy-user' })]);
  });

  it('another user there: a usage error naming both, never the password', () => {
    const message = usage(CONNECT, { TUNNELSCOPE_PROXY_USER: 'bob:pw-bob-4' });
    expect(message).toBe("--proxy's URL names the user alice and TUNNELSCOPE_PROXY_USER the user bob: name one user (drop the user from the URL, or give alice's password)");
    expect(usage([...CONNECT, '--proxy-user', 'bob:pw-bob-4'])).toContain('--proxy-user the user bob');
  });

  it('without a password anywhere the URL goes as it is', () => {
    expect(connectProxy(CONNECT).proxy).toEqual({ mode: 'manual', url: PROXY });
  });
});

describe('intercept --upstream http://alice@proxy', () => {
  it('TUNNELSCOPE_PROXY_USER for alice signs alice in with its password', () => {
    const got = interceptAuth(INTERCEPT, { TUNNELSCOPE_PROXY_USER: 'alice:pw-env-1' });
    expect(got.auth).toEqual({ username: 'alice', password: 'pw-env-1' });
    expect(got.url).toEqual({ mode: 'manual', url: 'http://127.0.0.1:3128' });
    expect(got.secrets).toContain('pw-env-1');
    expect(got.visible).toBeUndefined();
  });

  it('--proxy-user @file too; typed --proxy-user as well, noted as visible', () => {
    expect(interceptAuth([...INTERCEPT, '--proxy-user', `@${file('alice')}`]).auth).toEqual({ username: 'alice', password: 'pw-from-file-3' });
    const typed = interceptAuth([...INTERCEPT, '--proxy-user', 'alice:pw-typed-2']);
    expect(typed.auth).toEqual({ username: 'alice', password: 'pw-typed-2' });
    expect(typed.visible).toEqual([expect.objectContaining({ where: 'the password in --proxy-user' })]);
  });

  it('another user there: a usage error naming both; a URL with its own password still refuses --proxy-user', () => {
    expect(usage(INTERCEPT, { TUNNELSCOPE_PROXY_USER: 'bob:pw-bob-4' })).toBe(
      "--upstream's URL names the user alice and TUNNELSCOPE_PROXY_USER the user bob: name one user (drop the user from the URL, or give alice's password)",
    );
    expect(usage(['intercept', '--upstream', 'http://alice:pw@127.0.0.1:3128', '--proxy-user', 'alice:other'])).toBe(
      "--proxy-user and a user:password@ in --upstream's URL: give the credentials once",
    );
  });

  it('without a password anywhere the URL user goes alone, as before', () => {
    expect(interceptAuth(INTERCEPT).auth).toEqual({ username: 'alice', password: '' });
  });
});
