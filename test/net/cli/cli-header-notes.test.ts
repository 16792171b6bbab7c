/**
 * -H headers the WebSocket handshake writes itself are not sent, and the CLI says so on stderr
 * (the server really gets the handshake's own); a -H value the options refuse is named by -H and
 * its header, not by an inner path. In process, against an echo server on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { UsageError } from '../../../src-main/cli/usage-error';
import { FakeEngine, fakeIo } from '../../unit/cli/fake-engine';
import type { NetError } from '../../../src-main/shared/errors';
import { useConnectFixture } from './connect-fixture';

const refused: NetError = { kind: 'net', stage: 'connect', code: 'CONNECTION_REFUSED', message: 'refused', hint: 'h', details: {} };

const cli = useConnectFixture();

describe('-H headers the handshake sets', () => {
  it('are said on stderr by name (never their values), and the server gets the handshake\'s own', async () => {
    const echo = await cli.startEcho();
    const engine = cli.engine();
    const command = parseCommandLine([
      'connect', echo.url, '--no-proxy', '--send', 'x',
      '-H', 'Sec-WebSocket-Key: abcabcabcabcabcabcabcA==', '-H', 'Connection: close', '-H', 'X-Kept: yes',
    ]);
    if (command.kind !== 'connect') throw new Error('expected connect');
    const io = fakeIo();
    const code = await runConnect(command, engine, io);
    expect(code).toBe(0);
    const err = io.stderrText();
    expect(err).toContain('tunnelscope: note: -H Sec-WebSocket-Key is not sent: the WebSocket handshake sets it (a new random key each time)');
    expect(err).toContain('tunnelscope: note: -H Connection is not sent: the WebSocket handshake sets it (Upgrade)');
    expect(err).not.toContain('X-Kept');
    expect(err).not.toContain('abcabc');
    const sent = echo.upgrades[0];
    expect(sent?.['sec-websocket-key']).not.toBe('abcabcabcabcabcabcabcA==');
    expect(sent?.connection).toBe('Upgrade');
    expect(sent?.['x-kept']).toBe('yes');
  });

  it('--subprotocol and --origin set theirs: a -H of the same name is said too; without them it is sent', async () => {
    const notes = async (args: string[]): Promise<string> => {
      const command = parseCommandLine(['connect', 'ws://127.0.0.1:9/', '--no-proxy', ...args]);
      if (command.kind !== 'connect') throw new Error('expected connect');
      // The notes come before the session: one that fails to open is enough.
      const io = fakeIo();
      await runConnect(command, new FakeEngine({ failWith: refused }), io);
      return io.stderrText();
    };
    expect(await notes(['-H', 'Origin: https://a.example', '--origin', 'https://b.example'])).toContain('-H Origin is not sent: --origin sets it');
    expect(await notes(['-H', 'Sec-WebSocket-Protocol: chat', '--subprotocol', 'mqtt'])).toContain('-H Sec-WebSocket-Protocol is not sent: --subprotocol sets it');
    expect(await notes(['-H', 'Origin: https://a.example'])).not.toContain('not sent');
  });
});

describe('a -H value the connection options refuse', () => {
  it('names -H and the header', () => {
    let caught: unknown;
    try {
      parseCommandLine(['connect', 'ws://127.0.0.1:9/', '--no-proxy', '-H', 'X-Name: 日本']);
    } catch (error) {
      caught = error;
    }
    if (!(caught instanceof UsageError)) throw new Error('expected a usage error');
    expect(caught.message).toBe(
      '-H/--header X-Name: a header value may contain only printable ASCII and Latin-1 characters (encode other text, e.g. with percent-encoding)',
    );
  });
});
