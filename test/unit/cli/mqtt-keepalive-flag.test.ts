/**
 * `connect --no-mqtt-keepalive`: PINGREQs are sent unless it is given (the option stays unset,
 * which the engine reads as on); it describes the connection, so a profile's connect refuses it;
 * the help says what it turns off. A profile's `show` says whether its keep-alive is on.
 */
import { describe, expect, it } from 'vitest';
import { CONNECT_HELP } from '../../../src-main/cli/help-text';
import { connect, usageError } from './connect-args';

describe('--no-mqtt-keepalive', () => {
  it('leaves the option unset (on) unless given', () => {
    expect(connect('ws://127.0.0.1:1/mqtt').options?.mqttKeepalive).toBeUndefined();
  });

  it('turns the PINGREQs off, wherever it stands', () => {
    expect(connect('ws://127.0.0.1:1/', '--no-mqtt-keepalive').options?.mqttKeepalive).toBe(false);
    expect(connect('--no-mqtt-keepalive', 'ws://127.0.0.1:1/').options).toMatchObject({ url: 'ws://127.0.0.1:1/', mqttKeepalive: false });
  });

  it('takes no value', () => {
    expect(usageError('ws://127.0.0.1:1/', '--no-mqtt-keepalive=yes')).not.toBe('accepted');
  });

  it('cannot be combined with --profile (the profile sets the connection)', () => {
    expect(usageError('--profile', 'prod', '--no-mqtt-keepalive')).toMatch(/^--no-mqtt-keepalive cannot be combined with --profile/);
  });

  it('is in the help, with the broker\'s 1.5 × keep-alive', () => {
    expect(CONNECT_HELP).toContain('--no-mqtt-keepalive');
    expect(CONNECT_HELP).toMatch(/1\.5 × keep-alive/);
  });
});
