/** `connect --reconnect …` → options.reconnect, and the usage errors that name the flag. */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';

function reconnectOf(...flags: string[]): unknown {
  const command = parseCommandLine(['connect', 'ws://127.0.0.1:9/', '--no-proxy', ...flags]);
  if (command.kind !== 'connect' || command.options === undefined) throw new Error('expected a connect command with options');
  return command.options.reconnect;
}

describe('--reconnect flags', () => {
  it('is off unless asked for; --reconnect alone takes the defaults', () => {
    expect(reconnectOf()).toBeUndefined();
    expect(reconnectOf('--reconnect')).toEqual({});
  });

  it('--reconnect-max, --reconnect-delay and --reconnect-normal-close imply --reconnect', () => {
    expect(reconnectOf('--reconnect-max', '3')).toEqual({ maxAttempts: 3 });
    expect(reconnectOf('--reconnect-delay', '250')).toEqual({ initialDelayMs: 250, maxDelayMs: 30_000 });
    expect(reconnectOf('--reconnect-delay', '60000')).toEqual({ initialDelayMs: 60_000, maxDelayMs: 60_000 });
    expect(reconnectOf('--reconnect', '--reconnect-normal-close')).toEqual({ retryNormalClose: true });
  });

  it.each([
    [['--reconnect-max', '-1'], '--reconnect-max must be a whole number'],
    [['--reconnect-max', '10001'], '--reconnect-max must be between 0 and 10,000'],
    [['--reconnect-delay', '50'], '--reconnect-delay must be between 100 and 600,000 milliseconds, got 50'],
    [['--reconnect-delay', '1s'], '--reconnect-delay must be a whole number of milliseconds, got "1s"'],
  ])('refuses %j', (flags, message) => {
    expect(() => reconnectOf(...flags)).toThrow(message);
  });

  it('cannot be combined with --profile (the profile has its own setting)', () => {
    expect(() => parseCommandLine(['connect', '--profile', 'gw', '--reconnect'])).toThrow('--reconnect cannot be combined with --profile');
  });
});
