/**
 * The app's frames come with their credentials masked (session/frame-credential-ranges.ts): the
 * log's previews (`frames:page`, `frames` batches, search hits) and `frames:get`'s payload, unless
 * the detail pane asks to reveal them. The ranges are the exports' and the CLI's
 * (credential-bytes.ts): each protocol's credential, halves split across two messages, a large
 * frame's later part; plain text is left as it is, and the CLI host masks nothing here (it masks
 * what it prints itself). Search reads the real bytes: a search for the passcode finds the frame,
 * whose hit row shows it masked.
 */
import mqtt from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { PAYLOAD_PART_BYTES } from '../../../src-main/shared/payload-part';

interface Msg {
  dir: 'in' | 'out';
  opcode: 'text' | 'binary';
  bytes: Buffer;
}

function ndjson(frames: readonly Msg[]): string {
  return frames
    .map(({ dir, opcode, bytes }, i) =>
      JSON.stringify({ seq: i + 1, dir, opcode, at: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString(), size: bytes.length, ...(opcode === 'text' ? { text: bytes.toString('utf8') } : { base64: bytes.toString('base64') }) }),
    )
    .join('\n');
}

const out = (text: string): Msg => ({ dir: 'out', opcode: 'text', bytes: Buffer.from(text) });
const hexOf = (bytes: Buffer): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

async function imported(frames: readonly Msg[], host: 'web' | 'cli' = 'web'): Promise<{ e: Engine; sessionId: string }> {
  const e = new Engine({ host, version: '1', env: {} });
  engine = e;
  const result = await e.call('frames:import', { text: ndjson(frames), name: 'log.ndjson' });
  if (!result.ok) throw new Error(result.error.message);
  return { e, sessionId: result.value.sessionId };
}

async function previews(e: Engine, sessionId: string): Promise<string[]> {
  const page = await e.call('frames:page', { sessionId, fromSeq: 1, limit: 100 });
  if (!page.ok) throw new Error(page.error.message);
  return page.value.frames.map((f) => f.preview);
}

async function body(e: Engine, sessionId: string, seq: number, more: { reveal?: boolean; offset?: number; maxBytes?: number } = {}) {
  const result = await e.call('frames:get', { sessionId, seq, maxBytes: PAYLOAD_PART_BYTES, ...more });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const CONNECT = 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:s3cr3t\n\n\0';

describe('the app masks credentials in previews and raw payloads', () => {
  it('STOMP: the preview and the payload mask the passcode, login stays; reveal shows it', async () => {
    const { e, sessionId } = await imported([out(CONNECT), out('SEND\ndestination:/q\n\nhello\0')]);
    const [connect, send] = await previews(e, sessionId);
    expect(connect).toContain('login:guest');
    expect(connect).toContain('passcode:******');
    expect(connect).not.toContain('s3cr3t');
    expect(send).toBe('SEND\ndestination:/q\n\nhello\0');
    const masked = await body(e, sessionId, 1);
    expect(masked.text).toBe(CONNECT.replace('s3cr3t', '******'));
    expect(Buffer.from(masked.base64, 'base64').toString()).not.toContain('s3cr3t');
    expect(masked.frame.preview).not.toContain('s3cr3t');
    expect(masked.credentials).toEqual({ fields: ['$.headers.passcode'], bytes: 6, revealed: false });
    const shown = await body(e, sessionId, 1, { reveal: true });
    expect(shown.text).toBe(CONNECT);
    expect(shown.credentials?.revealed).toBe(true);
    // The whole body (no maxBytes: frames:get as the CLI asks over a connection) is masked too.
    const whole = await e.call('frames:get', { sessionId, seq: 1 });
    expect(whole.ok && whole.value.text).toBe(CONNECT.replace('s3cr3t', '******'));
    expect((await body(e, sessionId, 2)).credentials).toBeUndefined();
  });

  it('a search for the passcode finds the frame (the real bytes), and its hit shows it masked', async () => {
    const { e, sessionId } = await imported([out(CONNECT), out('SEND\ndestination:/q\n\nhello\0')]);
    const found = await e.call('frames:search', { sessionId, filter: { text: 's3cr3t' } });
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.matches.map((m) => m.seq)).toEqual([1]);
    expect(found.value.matches[0]?.preview).toContain('passcode:******');
  });

  it('STOMP split across two messages: each half is masked in its own message', async () => {
    const cut = CONNECT.indexOf('s3c') + 3;
    const { e, sessionId } = await imported([out(CONNECT.slice(0, cut)), out(CONNECT.slice(cut))]);
    const [first, second] = await previews(e, sessionId);
    expect(first?.endsWith('passcode:***')).toBe(true);
    expect(second?.startsWith('***\n')).toBe(true);
    expect((await body(e, sessionId, 1)).text).not.toContain('s3c');
    expect((await body(e, sessionId, 2)).text).toBe('***\n\n\0');
  });

  it('MQTT: a CONNECT password in the hex preview and the payload', async () => {
    const packet = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', username: 'u', password: Buffer.from('pw!'), clean: true, keepalive: 30 });
    const { e, sessionId } = await imported([{ dir: 'out', opcode: 'binary', bytes: packet }]);
    const [preview] = await previews(e, sessionId);
    const pw = hexOf(Buffer.from('pw!'));
    expect(hexOf(packet)).toContain(pw);
    expect(preview).not.toContain(pw);
    expect(preview).toContain('2a 2a 2a');
    const masked = Buffer.from((await body(e, sessionId, 1)).base64, 'base64');
    expect(masked.includes(Buffer.from('pw!'))).toBe(false);
    expect(masked.length).toBe(packet.length);
  });

  it('GraphQL connection_init and Socket.IO CONNECT auth tokens', async () => {
    const graphql = await imported([out('{"type":"connection_init","payload":{"authToken":"tok-123"}}')]);
    expect((await previews(graphql.e, graphql.sessionId))[0]).toBe('{"type":"connection_init","payload":{"authToken":"*******"}}');
    await graphql.e.dispose();
    const socketio = await imported([
      { dir: 'in', opcode: 'text', bytes: Buffer.from('0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}') },
      out('40{"token":"tok-456"}'),
    ]);
    expect((await previews(socketio.e, socketio.sessionId))[1]).toBe('40{"token":"*******"}');
  });

  it('a JSON number is masked as exports mask it, and a non-ASCII preview keeps its characters', async () => {
    const graphql = await imported([out('{"type":"connection_init","payload":{"password":12345}}')]);
    expect((await previews(graphql.e, graphql.sessionId))[0]).toBe('{"type":"connection_init","payload":{"password":0    }}');
    await graphql.e.dispose();
    const stomp = await imported([out('CONNECT\nlogin:zoë\npasscode:pässwörd\n\n\0')]);
    // '*' a byte: ä and ö are two bytes each.
    expect((await previews(stomp.e, stomp.sessionId))[0]).toBe(`CONNECT\nlogin:zoë\npasscode:${'*'.repeat(10)}\n\n\0`);
  });

  it('a large frame: a credential in a later part is masked in that part', async () => {
    const pad = 'x'.repeat(PAYLOAD_PART_BYTES + 100);
    const text = `{"type":"connection_init","payload":{"pad":"${pad}","password":"hunter2"}}`;
    const { e, sessionId } = await imported([out(text)]);
    const first = await body(e, sessionId, 1);
    expect(first.part?.totalBytes).toBe(text.length);
    expect(first.credentials?.fields).toEqual(['$.payload.password']);
    const second = await body(e, sessionId, 1, { offset: first.part?.bytes ?? 0 });
    expect(second.text).toContain('"password":"*******"');
    expect(second.text).not.toContain('hunter2');
    expect((await body(e, sessionId, 1, { offset: first.part?.bytes ?? 0, reveal: true })).text).toContain('hunter2');
  });

  it('plain text is left as it is, and so is everything in the CLI (it masks what it prints)', async () => {
    const plain = await imported([out('password:hello'), out('{"token":"x"}')]);
    expect(await previews(plain.e, plain.sessionId)).toEqual(['password:hello', '{"token":"x"}']);
    expect((await body(plain.e, plain.sessionId, 1)).credentials).toBeUndefined();
    await plain.e.dispose();
    const cli = await imported([out(CONNECT)], 'cli');
    expect((await previews(cli.e, cli.sessionId))[0]).toContain('s3cr3t');
  });
});
