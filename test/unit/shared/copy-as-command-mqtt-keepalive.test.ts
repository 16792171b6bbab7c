/**
 * Copy as command carries the MQTT keep-alive switch: turned off, `tunnelscope connect`
 * gets `--no-mqtt-keepalive` (read back as mqttKeepalive false); on or absent, nothing,
 * since the command sends PINGREQ by default too.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';

const base: ConnectionOptionsInput = { url: 'ws://127.0.0.1:9/mqtt', proxy: { mode: 'none' } };

function readBack(command: string): boolean | undefined {
  const parsed = parseCommandLine(command.split(' ').slice(1).map((word) => word.replace(/^'(.*)'$/, '$1')));
  return parsed.kind === 'connect' ? parsed.options?.mqttKeepalive : undefined;
}

describe('copy as command: MQTT keep-alive', () => {
  it('off: --no-mqtt-keepalive, read back as off', () => {
    const copied = copyAsCommand('tunnelscope', { ...base, mqttKeepalive: false });
    expect(copied.command).toBe('tunnelscope connect ws://127.0.0.1:9/mqtt --no-proxy --no-mqtt-keepalive');
    expect(copied.notes).toEqual([]);
    expect(readBack(copied.command)).toBe(false);
  });

  it('on or absent: no flag (the command sends PINGREQ by default)', () => {
    for (const options of [base, { ...base, mqttKeepalive: true }]) {
      const copied = copyAsCommand('tunnelscope', options);
      expect(copied.command).not.toContain('mqtt-keepalive');
      expect(readBack(copied.command)).toBeUndefined();
    }
  });
});
