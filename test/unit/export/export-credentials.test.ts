/**
 * Credentials inside frames leave an export masked: an MQTT CONNECT's password (its packet split
 * across two messages, then two CONNECTs in one message) and a STOMP CONNECT's passcode appear
 * nowhere in the HAR or NDJSON file, in clear or in base64, with decoding asked for or not; the
 * frames say what was hidden, the sizes are kept, and the import decodes the masked frames.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { ExportDecoding } from '../../../src-main/core/export/export-decoding';
import { exportToText } from '../../../src-main/core/export/export-session';
import { importLog } from '../../../src-main/core/export/import-log';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import type { LogFormat } from '../../../src-main/shared/log-file';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { STEPS, T0, fixtureSession } from './log-fixture';

const version = '9.9.9';
const PASSWORD = 'Hunter2-MqttPw';
const PASSCODE = 'Guest-StompPc';

function withSubprotocol(name: string): HandshakeStep[] {
  return STEPS.map((step) => (step.leg === 'upgrade' && step.response ? { ...step, response: { ...step.response, headers: [...step.response.headers, ['Sec-WebSocket-Protocol', name]] } } : step));
}

function mqttSession(): ReturnType<typeof fixtureSession> {
  const frames = new FrameStore();
  const packet = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'alice', password: Buffer.from(PASSWORD), keepalive: 10, clean: true });
  const cut = packet.length - 5; // the password's last bytes come in the next message
  frames.push('out', 'binary', packet.subarray(0, cut), undefined, T0 + 100);
  frames.push('out', 'binary', packet.subarray(cut), undefined, T0 + 101);
  frames.push('in', 'binary', mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }), undefined, T0 + 110);
  frames.push('out', 'binary', Buffer.concat([packet, packet]), undefined, T0 + 120);
  return fixtureSession({ frames, steps: withSubprotocol('mqtt') });
}

function stompSession(): ReturnType<typeof fixtureSession> {
  const frames = new FrameStore();
  frames.push('out', 'text', Buffer.from(`CONNECT\naccept-version:1.2\nlogin:guest\npasscode:${PASSCODE}\n\n\0`), undefined, T0 + 100);
  frames.push('in', 'text', Buffer.from('CONNECTED\nversion:1.2\n\n\0'), undefined, T0 + 110);
  return fixtureSession({ frames, steps: withSubprotocol('v12.stomp') });
}

/** Every way the secret could be written: as is, in base64 at each of the three alignments, JSON-escaped. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const out = [secret];
  for (let skip = 0; skip < 3; skip++) {
    const b64 = bytes.subarray(skip).toString('base64').replace(/=+$/, '');
    // The base64 of the bytes from `skip` on, less its last (boundary-dependent) characters.
    out.push(b64.slice(skip === 0 ? 0 : 2, b64.length - 2));
  }
  return out;
}

const cases: { name: string; session: () => ReturnType<typeof fixtureSession>; secret: string; fields: string[] }[] = [
  { name: 'MQTT', session: mqttSession, secret: PASSWORD, fields: ['$.password'] },
  { name: 'STOMP', session: stompSession, secret: PASSCODE, fields: ['$.headers.passcode'] },
];

describe('exports mask credentials inside frames', () => {
  for (const { name, session, secret, fields } of cases) {
    for (const format of ['har', 'ndjson'] as LogFormat[]) {
      for (const decoding of [undefined, { choice: 'auto' as const }]) {
        it(`${name} ${format}, decoding ${decoding ? 'asked' : 'not asked'}: the secret nowhere, the fields named, sizes kept`, async () => {
          const log = session();
          const { text } = await exportToText(log, { format, version, ...(decoding ? { decoding } : {}) });
          for (const form of forms(secret)) expect(text).not.toContain(form);
          expect(text).toContain(format === 'har' ? '"_redacted":{"fields":' : '"redacted":{"fields":');
          expect(text).toContain(JSON.stringify(fields));
          if (decoding) expect(text).toContain('"redacted":' + JSON.stringify(fields).slice(0, -1));
          // The import reads the same number of frames, of the same sizes, and decodes the masked CONNECT.
          const imported = await importLog(text, { format });
          if (!imported.ok) throw new Error(imported.problems.items.map((p) => p.message).join('; '));
          const sizes = (store: FrameStore): number[] => {
            const out: number[] = [];
            for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) out.push(store.entry(seq)?.payload.length ?? -1);
            return out;
          };
          expect(sizes(imported.log.frames)).toEqual(sizes(log.frames));
          const again = new ExportDecoding({ frames: imported.log.frames, url: imported.log.url, handshakeSteps: () => imported.log.steps }, { choice: 'auto' });
          const connectSeq = name === 'MQTT' ? 2 : 1;
          for (let seq = 1; seq < connectSeq; seq++) again.at(seq);
          expect(again.at(connectSeq)).toMatchObject({ summary: expect.stringMatching(/^CONNECT/), redacted: fields });
        });
      }
    }
  }

  it('MQTT NDJSON: each message of the split CONNECT has its part masked; the two-CONNECT message both', async () => {
    const { text } = await exportToText(mqttSession(), { format: 'ndjson', version, decoding: { choice: 'auto' } });
    const lines = text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as { base64: string; redacted?: { fields: string[]; maskedBytes: number } });
    // `fields`: the credential fields whose bytes each message holds, as paths in the MQTT packet.
    expect(lines.map((line) => line.redacted)).toEqual([
      { fields: ['$.password'], maskedBytes: PASSWORD.length - 5 },
      { fields: ['$.password'], maskedBytes: 5 },
      undefined,
      { fields: ['$.password'], maskedBytes: 2 * PASSWORD.length },
    ]);
    expect(Buffer.from(lines[3]?.base64 ?? '', 'base64').toString('latin1')).toContain(`alice\0${String.fromCharCode(PASSWORD.length)}${'*'.repeat(PASSWORD.length)}`);
  });
});
