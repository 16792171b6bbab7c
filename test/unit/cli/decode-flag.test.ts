import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { UsageError } from '../../../src-main/cli/usage-error';

describe('connect --decode', () => {
  it('is auto unless given; takes each decoder name and none', () => {
    const plain = parseCommandLine(['connect', 'ws://h/', '--no-proxy']);
    expect(plain.kind === 'connect' && plain.decode).toBe('auto');
    for (const name of ['none', 'socketio', 'stomp', 'mqtt', 'msgpack', 'cbor', 'STOMP']) {
      const command = parseCommandLine(['connect', 'ws://h/', '--no-proxy', '--decode', name]);
      expect(command.kind === 'connect' && command.decode).toBe(name.toLowerCase());
    }
  });

  it('refuses another name, listing the choices', () => {
    expect(() => parseCommandLine(['connect', 'ws://h/', '--decode', 'protobuf'])).toThrow(UsageError);
    expect(() => parseCommandLine(['connect', 'ws://h/', '--decode', 'protobuf'])).toThrow('--decode: "protobuf" is not one of auto, none, socketio, stomp, mqtt, msgpack, cbor');
  });
});
