/**
 * A URL's userinfo password is masked by its place in every line the CLI prints, however short
 * (redaction by value skips secrets under 4 characters): resolve and connect, human and --json.
 * In process, against an echo server on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { runResolve } from '../../../src-main/cli/resolve-command';
import { maskUrlPasswords, Scrubber, URL_PASSWORD_MASK } from '../../../src-main/cli/scrub';
import { REDACTED } from '../../../src-main/core/capture/redact';
import { fakeIo } from '../../unit/cli/fake-engine';
import { useConnectFixture } from './connect-fixture';

const cli = useConnectFixture();

describe('maskUrlPasswords', () => {
  it.each<[string, string]>([
    ['URL      ws://user:abc@127.0.0.1:1/', 'URL      ws://user:••••••@127.0.0.1:1/'],
    ['ws://u:x@h/ and http://a:p@ss@proxy:3128 then', 'ws://u:••••••@h/ and http://a:••••••@proxy:3128 then'],
    ['"url":"wss://bob:1@h.example/x?y=1"', '"url":"wss://bob:••••••@h.example/x?y=1"'],
    ['\x1b[36mhttp://u:ab@proxy:8080\x1b[39m', '\x1b[36mhttp://u:••••••@proxy:8080\x1b[39m'],
  ])('%j', (line, masked) => {
    expect(maskUrlPasswords(line)).toBe(masked);
  });

  it.each([
    'http://127.0.0.1:1 failed (PROXY_CONNECTION_REFUSED), trying http://127.0.0.1:46051',
    'ws://bob@host/ has no password',
    'ws://host:8080/path@x and mailto:a:b@c',
    'Host: 127.0.0.1:1',
  ])('leaves %j as it is', (line) => {
    expect(maskUrlPasswords(line)).toBe(line);
  });

  it('is part of the Scrubber, after redaction by value', () => {
    expect(new Scrubber([]).text('ws://user:abc@h/')).toBe('ws://user:••••••@h/');
    expect(new Scrubber(['longsecret']).deep({ url: 'ws://u:longsecret@h/' })).toEqual({ url: 'ws://u:••••••@h/' });
  });
});

describe('a short URL password in CLI output', () => {
  it('resolve: the URL line and --json', async () => {
    // The engine's default batching (this test never set one).
    const engine = cli.engine({ batch: undefined });
    for (const json of [false, true]) {
      const command = parseCommandLine(['resolve', 'ws://user:abc@127.0.0.1:1/', '--no-proxy', ...(json ? ['--json'] : [])]);
      if (command.kind !== 'resolve') throw new Error('expected resolve');
      const io = fakeIo();
      await runResolve(command, engine, io);
      const all = io.stdoutText() + io.stderrText();
      expect(all).not.toContain(':abc@');
      if (!json) expect(io.stdoutText()).toContain('URL      ws://user:••••••@127.0.0.1:1/');
    }
  });

  // connect prints no server URL (the engine's events carry it without the password): a guard.
  it('connect: nothing printed holds user:q7@, human or --json', async () => {
    const echo = await cli.startEcho();
    const engine = cli.engine();
    const url = echo.url.replace('ws://', 'ws://user:q7@');
    for (const json of [false, true]) {
      const command = parseCommandLine(['connect', url, '--no-proxy', '--send', 'x', ...(json ? ['--json'] : [])]);
      if (command.kind !== 'connect') throw new Error('expected connect');
      const io = fakeIo();
      expect(await runConnect(command, engine, io)).toBe(0);
      const all = io.stdoutText() + io.stderrText();
      expect(all).not.toContain(':q7@');
    }
  });
});

describe('the mask', () => {
  it("is the engine's redaction marker", () => {
    expect(URL_PASSWORD_MASK).toBe(REDACTED);
  });
});
