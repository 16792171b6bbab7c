/**
 * `frames:decode` with values (the detail pane): each frame's answer lists the paths of its value
 * that hold credentials (`credentials`), checked against the shared schema, and the value holds the
 * redaction marker there, as credential headers do; rows (no values) and frames without any carry none.
 * Through the engine, on an imported MQTT log (a CONNECT with a password, a PUBLISH) and a STOMP one.
 */
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { decodedFrameSchema } from '../../../src-main/shared/decoding';
import { REDACTED } from '../../../src-main/core/capture/redact';

function ndjson(frames: readonly { dir: 'in' | 'out'; opcode: 'text' | 'binary'; bytes: Buffer }[]): string {
  return frames
    .map(({ dir, opcode, bytes }, i) =>
      JSON.stringify({ seq: i + 1, dir, opcode, at: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString(), size: bytes.length, ...(opcode === 'text' ? { text: bytes.toString('utf8') } : { base64: bytes.toString('base64') }) }),
    )
    .join('\n');
}

describe('frames:decode lists the credential paths of each value', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
  });

  it.each([
    [
      'mqtt',
      [
        { dir: 'out' as const, opcode: 'binary' as const, bytes: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', username: 'u', password: Buffer.from('pw'), clean: true, keepalive: 30 }) },
        { dir: 'out' as const, opcode: 'binary' as const, bytes: mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('{"password":"x"}'), qos: 0, retain: false, dup: false }) },
      ],
      ['$.password'],
    ],
    ['stomp', [{ dir: 'out' as const, opcode: 'text' as const, bytes: Buffer.from('CONNECT\nlogin:u\npasscode:pc\n\n\0') }, { dir: 'out' as const, opcode: 'text' as const, bytes: Buffer.from('SEND\ndestination:/q\n\nx\0') }], ['$.headers.passcode']],
    // A broker may take Authorization on any frame: a SUBSCRIBE's is redacted as a CONNECT's is.
    ['stomp', [{ dir: 'out' as const, opcode: 'text' as const, bytes: Buffer.from('SUBSCRIBE\nid:0\ndestination:/q\nAuthorization:pc\n\n\0') }, { dir: 'out' as const, opcode: 'text' as const, bytes: Buffer.from('SEND\ndestination:/q\n\npasscode:x\0') }], ['$.headers.Authorization']],
  ] as const)('%s', async (choice, frames, paths) => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    const imported = await e.call('frames:import', { text: ndjson(frames), name: `${choice}.ndjson` });
    if (!imported.ok) throw new Error(imported.error.message);
    const sessionId = imported.value.sessionId;
    expect((await e.call('session:decoding', { sessionId, choice })).ok).toBe(true);
    const withValues = await e.call('frames:decode', { sessionId, seqs: [1, 2], values: true });
    if (!withValues.ok) throw new Error(withValues.error.message);
    for (const frame of withValues.value.frames) expect(decodedFrameSchema.safeParse(frame).success).toBe(true);
    expect(withValues.value.frames.map((f) => f.credentials)).toEqual([paths, undefined]);
    // The value itself carries the marker, never the secret (the detail pane shows what it gets).
    const shown = JSON.stringify(withValues.value.frames[0]?.value);
    expect(shown).toContain(JSON.stringify(REDACTED));
    expect(shown).not.toMatch(choice === 'mqtt' ? /cHc=|"pw"/ : /"pc"/);
    const rows = await e.call('frames:decode', { sessionId, seqs: [1, 2] });
    if (!rows.ok) throw new Error(rows.error.message);
    expect(rows.value.frames.map((f) => f.credentials)).toEqual([undefined, undefined]);
  });
});
