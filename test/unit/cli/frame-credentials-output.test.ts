/**
 * `connect` with --decode (the default, auto): credentials inside frames are never printed.
 * An MQTT CONNECT's password (its packet split across two messages, then two CONNECTs in one
 * message) and a STOMP CONNECT's passcode appear nowhere in the human output or the --json
 * lines (clear or base64): `decoded` shows the marker with the paths in `redacted`, and the raw
 * `text` / `base64` has '*' in their place, same size.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { CliFrameDecoding } from '../../../src-main/cli/frame-decoding';
import { HumanPrinter, PLAIN } from '../../../src-main/cli/human-output';
import { JsonPrinter } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { DecodeChoice } from '../../../src-main/core';
import type { FrameBody, FrameSummary } from '../../../src-main/shared/model';

const PASSWORD = 'Hunter2-MqttPw';
const PASSCODE = 'Guest-StompPc';
const packet = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'alice', password: Buffer.from(PASSWORD), keepalive: 10, clean: true });

function frame(seq: number, opcode: 'binary' | 'text', bytes: Buffer, truncatedPreview = false): { summary: FrameSummary; body: FrameBody } {
  const text = bytes.toString('utf8');
  const preview = opcode === 'text' ? (truncatedPreview ? text.slice(0, 10) : text) : bytes.subarray(0, 16).toString('hex');
  const summary: FrameSummary = { seq, dir: 'out', opcode, at: 1000 + seq, size: bytes.length, preview, truncated: opcode === 'text' && truncatedPreview };
  return { summary, body: { frame: summary, base64: bytes.toString('base64'), ...(opcode === 'text' ? { text } : {}) } };
}

const mqttFrames = [frame(1, 'binary', packet.subarray(0, packet.length - 5)), frame(2, 'binary', packet.subarray(packet.length - 5)), frame(3, 'binary', Buffer.concat([packet, packet]))];
const stompFrames = [frame(1, 'text', Buffer.from(`CONNECT\naccept-version:1.2\nlogin:guest\npasscode:${PASSCODE}\n\n\0`)), frame(2, 'text', Buffer.from(`STOMP\nlogin:guest\npasscode:${PASSCODE}\n\n\0`), true)];

async function run(choice: DecodeChoice, frames: readonly ReturnType<typeof frame>[]): Promise<{ human: string[]; json: string[] }> {
  const bodies = new Map(frames.map((f) => [f.summary.seq, f.body]));
  const human: string[] = [];
  const humanPrinter = new HumanPrinter({ out: (l) => human.push(l), err: () => undefined }, PLAIN, new Scrubber([]), new CliFrameDecoding(choice, (seq) => bodies.get(seq), () => undefined));
  humanPrinter.state({ type: 'state', sessionId: 's', state: 'open', previous: 'upgrading', at: 1000 });
  await humanPrinter.frames({ type: 'frames', sessionId: 's', frames: frames.map((f) => f.summary), dropped: 0, fromSeq: 1 });
  const json: string[] = [];
  const jsonPrinter = new JsonPrinter((line) => json.push(line), new Scrubber([]), (seq) => bodies.get(seq), new CliFrameDecoding(choice, (seq) => bodies.get(seq), () => undefined));
  await jsonPrinter.frames({ type: 'frames', sessionId: 's', frames: frames.map((f) => f.summary), dropped: 0, fromSeq: 1 });
  return { human, json };
}

function forms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const out = [secret];
  for (let skip = 0; skip < 3; skip++) {
    const b64 = bytes.subarray(skip).toString('base64').replace(/=+$/, '');
    out.push(b64.slice(skip === 0 ? 0 : 2, b64.length - 2));
  }
  return out;
}

describe('connect --decode: credentials inside frames are not printed', () => {
  it.each([
    ['mqtt', mqttFrames, PASSWORD, [undefined, ['$.password'], ['$.packets[0].password', '$.packets[1].password']]],
    ['auto', stompFrames, PASSCODE, [['$.headers.passcode'], ['$.headers.passcode']]],
  ] as const)('--decode %s: human and --json', async (choice, frames, secret, redacted) => {
    const { human, json } = await run(choice, frames);
    const all = [...human, ...json].join('\n');
    for (const form of forms(secret)) expect(all).not.toContain(form);
    const lines = json.map((line) => JSON.parse(line) as { size: number; text?: string; base64?: string; decoded?: { redacted?: string[]; value?: unknown } });
    expect(lines.map((line) => line.decoded?.redacted)).toEqual(redacted);
    let stars = 0;
    for (const [i, line] of lines.entries()) {
      const raw = line.text !== undefined ? Buffer.from(line.text) : Buffer.from(line.base64 ?? '', 'base64');
      expect(raw.length).toBe(line.size);
      stars += raw.filter((byte) => byte === 0x2a).length;
      expect(raw.length).toBe(frames[i]?.body.base64 ? Buffer.from(frames[i]?.body.base64 ?? '', 'base64').length : -1);
    }
    // Each credential's every byte a '*' (the MQTT one across two messages, then twice in one).
    expect(stars).toBe(secret.length * (choice === 'mqtt' ? 3 : 2));
    expect(lines.some((line) => JSON.stringify(line.decoded?.value).includes('••••••'))).toBe(true);
  });

  it('--decode none: the raw payload is masked all the same (the protocol recognised from the frames)', async () => {
    for (const [frames, secret] of [[stompFrames, PASSCODE], [mqttFrames, PASSWORD]] as const) {
      const { json } = await run('none', frames);
      for (const form of forms(secret)) expect(json.join('\n')).not.toContain(form);
      const lines = json.map((line) => JSON.parse(line) as { text?: string; base64?: string; decoded?: unknown });
      expect(lines.every((line) => line.decoded === undefined)).toBe(true);
      const raw = lines.map((line) => (line.text !== undefined ? Buffer.from(line.text) : Buffer.from(line.base64 ?? '', 'base64')));
      // Byte for byte the frames as sent, but for each credential byte.
      raw.forEach((bytes, i) => {
        const sent = Buffer.from(frames[i]?.body.base64 ?? '', 'base64');
        expect(bytes.length).toBe(sent.length);
        const differ = [...bytes].filter((byte, k) => byte !== sent[k]);
        expect(differ.every((byte) => byte === 0x2a)).toBe(true);
      });
      expect(raw.reduce((n, bytes, i) => n + [...bytes].filter((byte, k) => byte !== Buffer.from(frames[i]?.body.base64 ?? '', 'base64')[k]).length, 0)).toBe(secret.length * (frames === mqttFrames ? 3 : 2));
    }
  });
});
