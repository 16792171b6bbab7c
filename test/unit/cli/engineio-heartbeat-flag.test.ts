/**
 * `connect --no-engineio-heartbeat`: Engine.IO's pings are answered unless it is given (the
 * option stays unset, which the engine reads as on); it describes the connection, so a profile's
 * connect refuses it; the help says what it turns off.
 */
import { describe, expect, it } from 'vitest';
import { CONNECT_HELP } from '../../../src-main/cli/help-text';
import { parseCommandLine, UsageError, type ConnectCommand } from '../../../src-main/cli/parse-args';

function connect(...args: string[]): ConnectCommand {
  const command = parseCommandLine(['connect', ...args]);
  if (command.kind !== 'connect') throw new Error(`expected connect, got ${command.kind}`);
  return command;
}

function usageError(...args: string[]): string {
  try {
    parseCommandLine(['connect', ...args]);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('--no-engineio-heartbeat', () => {
  it('leaves the option unset (on) unless given', () => {
    expect(connect('ws://127.0.0.1:1/socket.io/?EIO=4&transport=websocket').options?.engineioHeartbeat).toBeUndefined();
  });

  it('turns the answers off, wherever it stands', () => {
    expect(connect('ws://127.0.0.1:1/', '--no-engineio-heartbeat').options?.engineioHeartbeat).toBe(false);
    expect(connect('--no-engineio-heartbeat', 'ws://127.0.0.1:1/').options).toMatchObject({ url: 'ws://127.0.0.1:1/', engineioHeartbeat: false });
  });

  it('takes no value', () => {
    expect(usageError('ws://127.0.0.1:1/', '--no-engineio-heartbeat=yes')).not.toBe('accepted');
  });

  it('cannot be combined with --profile (the profile sets the connection)', () => {
    expect(usageError('--profile', 'prod', '--no-engineio-heartbeat')).toMatch(/^--no-engineio-heartbeat cannot be combined with --profile/);
  });

  it('is in the help', () => {
    expect(CONNECT_HELP).toContain('--no-engineio-heartbeat');
  });
});
