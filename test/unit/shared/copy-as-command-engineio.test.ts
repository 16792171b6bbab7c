/**
 * Copy as command carries the Engine.IO heartbeat switch: turned off, `tunnelscope connect`
 * gets `--no-engineio-heartbeat` (read back as engineioHeartbeat false); on or absent, nothing,
 * since the command answers Engine.IO's pings by default too.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { copyAsCommand } from '../../../src-main/shared/copy-as-command';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';

const base: ConnectionOptionsInput = { url: 'ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket', proxy: { mode: 'none' } };

function readBack(command: string): boolean | undefined {
  const parsed = parseCommandLine(command.split(' ').slice(1).map((word) => word.replace(/^'(.*)'$/, '$1')));
  return parsed.kind === 'connect' ? parsed.options?.engineioHeartbeat : undefined;
}

describe('copy as command: Engine.IO heartbeat', () => {
  it('off: --no-engineio-heartbeat, read back as off', () => {
    const copied = copyAsCommand('tunnelscope', { ...base, engineioHeartbeat: false });
    expect(copied.command).toBe("tunnelscope connect 'ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket' --no-proxy --no-engineio-heartbeat");
    expect(copied.notes).toEqual([]);
    expect(readBack(copied.command)).toBe(false);
  });

  it('on or absent: no flag (the command answers by default)', () => {
    for (const options of [base, { ...base, engineioHeartbeat: true }]) {
      const copied = copyAsCommand('tunnelscope', options);
      expect(copied.command).not.toContain('engineio');
      expect(readBack(copied.command)).toBeUndefined();
    }
  });
});
