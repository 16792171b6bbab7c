import { describe, expect, it } from 'vitest';
import { CliFrameDecoding, decodedJson, decodingNotice } from '../../../src-main/cli/frame-decoding';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { FrameBody, FrameSummary } from '../../../src-main/shared/model';

function summary(seq: number, text: string, extra: Partial<FrameSummary> = {}): FrameSummary {
  return { seq, dir: 'in', opcode: 'text', at: 0, size: Buffer.byteLength(text), preview: text, truncated: false, ...extra };
}

describe('CLI frame decoding', () => {
  it('guesses from the upgrade, decodes text from the summary and fetches what it lacks', () => {
    const fetched: number[] = [];
    const chosen: string[] = [];
    const body: FrameBody = { frame: summary(2, ''), base64: Buffer.from('42["long"]').toString('base64'), text: '42["long"]' };
    const decoding = new CliFrameDecoding('auto', (seq) => (fetched.push(seq), body), (active) => chosen.push(decodingNotice(active)));
    decoding.handshake({
      leg: 'upgrade',
      ok: true,
      startedAt: 0,
      ms: 1,
      request: { startLine: 'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1', headers: [] },
      response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [] },
    });
    expect(chosen).toEqual(['Decoding as Socket.IO (a guess: the URL has EIO=4); --decode <name> to confirm or change, --decode none to turn off']);
    expect(decoding.decode(summary(1, '42["chat","hi"]'))).toMatchObject({ summary: "emit 'chat'" });
    expect(fetched).toEqual([]);
    expect(decoding.decode(summary(2, '42["lo', { truncated: true }))).toMatchObject({ summary: "emit 'long'" });
    expect(fetched).toEqual([2]);
    // Control frames are not handed over.
    expect(decoding.decode(summary(3, '', { opcode: 'ping' }))).toBeUndefined();
  });

  it('--decode none: nothing wanted, nothing decoded', () => {
    const decoding = new CliFrameDecoding('none', () => undefined, () => undefined);
    expect(decoding.wanted).toBe(false);
    expect(decoding.decode(summary(1, 'CONNECTED\n\n\u0000'))).toBeUndefined();
  });

  it('the decoded member is scrubbed of secrets and escaped for a terminal', () => {
    const scrubber = new Scrubber(['s3cret-token']);
    const text = decodedJson({ kind: 'decoded', protocol: 'stomp', summary: 'CONNECT passcode=s3cret-token', value: { passcode: 's3cret-token', odd: '\u001b[31m' } }, { protocol: 'stomp', guess: true, reason: 'r' }, 'out', scrubber);
    expect(text.startsWith(',"decoded":')).toBe(true);
    expect(text).not.toContain('s3cret-token');
    expect(text).not.toContain('\u001b');
    const parsed = JSON.parse(text.slice(',"decoded":'.length)) as { guess?: boolean; value: { odd: string } };
    expect(parsed.guess).toBe(true);
    expect(parsed.value.odd).toBe('\u001b[31m');
    const invalid = JSON.parse(decodedJson({ kind: 'invalid', protocol: 'mqtt', summary: 'not valid MQTT: x', problem: 'x' }, undefined, 'in', scrubber).slice(11)) as unknown;
    expect(invalid).toEqual({ protocol: 'mqtt', summary: 'not valid MQTT: x', valid: false, problem: 'x' });
  });

  it('the decoded member names the conversation a frame asks or answers in', () => {
    const scrubber = new Scrubber([]);
    const asked = JSON.parse(decodedJson({ kind: 'decoded', protocol: 'stomp', summary: 'SEND /q', value: { command: 'SEND', headers: { destination: '/q', receipt: 'r-1' }, body: '' } }, undefined, 'out', scrubber).slice(11)) as unknown;
    expect(asked).toMatchObject({ conversation: { key: 'stomp receipt r-1', role: 'request', label: 'receipt r-1' } });
    const answered = JSON.parse(decodedJson({ kind: 'decoded', protocol: 'socketio', summary: 'ack 7', value: { type: 'ACK', nsp: '/', id: 7, args: [] } }, undefined, 'in', scrubber).slice(11)) as unknown;
    expect(answered).toMatchObject({ conversation: { key: 'socketio / ack 7 ↑', role: 'answer' } });
    // A SUBSCRIBE with a receipt: both conversations (`also`: its subscription's).
    const both = JSON.parse(decodedJson({ kind: 'decoded', protocol: 'stomp', summary: 'SUBSCRIBE /q id=0', value: { command: 'SUBSCRIBE', headers: { id: '0', destination: '/q', receipt: 'r-2' }, body: '' } }, undefined, 'out', scrubber).slice(11)) as unknown;
    expect(both).toMatchObject({ conversation: { key: 'stomp receipt r-2', role: 'request', label: 'receipt r-2', also: { key: 'stomp subscription 0', role: 'request', label: 'subscription 0' } } });
  });
});
