/**
 * `connect --decode msgpack|cbor|compressed|base64` and `--decode auto` on such payloads, against
 * a real `ws` server on 127.0.0.1 (port 0) that sends, once a client connects, the messages its
 * request path names: MessagePack (msgpackr `pack`) and CBOR (cbor-x `encode`) of one record
 * with a nested map, a map with number keys, a 64-bit integer and bytes; gzip, zlib deflate, raw
 * deflate and brotli (node:zlib) of a JSON text; Base64 of the JSON, of its gzip and its zlib,
 * URL-safe Base64, and bytes that only look like zlib; a gzip past the inflater's scratch buffer
 * and a gzip bomb; broken ones of each kind; and, for auto, payloads it must not guess. Most runs are in process (the same runConnect the `tunnelscope connect`
 * binary runs, with the real Engine, as in cli-decode.test.ts); two spawn the binary as a user
 * runs it, each stopped by its pid if it is still running after its test. What is asserted is
 * what a user reads: `--json`'s `decoded` member, the human summary line, the notice on stderr,
 * the exit status. Nothing is asserted about time.
 */
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { encode as encodeCbor } from 'cbor-x';
import { pack } from 'msgpackr';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { Engine } from '../../../src-main/core/engine';
import { envWithoutProxies, runCli as runCliProcess, stopCliProcesses, type CliResult } from '../../support/cli-process';
import { WAIT_MS } from '../../support/wait-until';
import { fakeIo } from '../../unit/cli/fake-engine';

// --- The payloads -------------------------------------------------------------------------

/** A record with a nested map, a map whose keys are numbers, a 64-bit integer and bytes. */
const RECORD = {
  event: 'chat',
  room: { id: 7, tags: ['a', 'b'] },
  codes: new Map<number, string>([
    [1, 'one'],
    [2, 'two'],
  ]),
  big: 2n ** 63n - 1n,
  blob: Buffer.from([0x00, 0x01, 0x02, 0xff]),
};

/** RECORD as a user reads it in `decoded.value` (README: bytes, 64-bit integers, non-string keys). */
const RECORD_READ = {
  event: 'chat',
  room: { id: 7, tags: ['a', 'b'] },
  codes: { $map: [[1, 'one'], [2, 'two']] },
  big: '9223372036854775807',
  blob: { $bytes: 'AAEC/w==', length: 4 },
};

const JSON_TEXT = '{"event":"chat","payload":{"room":"r3","text":"hello"}}';
const JSON_READ = { event: 'chat', payload: { room: 'r3', text: 'hello' } };
const JSON_SIZE = Buffer.byteLength(JSON_TEXT);

const msgpack = pack(RECORD);
const cbor = encodeCbor(RECORD);
const gzip = zlib.gzipSync(JSON_TEXT);
const deflate = zlib.deflateSync(JSON_TEXT);
const deflateRaw = zlib.deflateRawSync(JSON_TEXT);
const brotli = zlib.brotliCompressSync(JSON_TEXT);
const base64Json = Buffer.from(JSON_TEXT).toString('base64');
const base64Gzip = gzip.toString('base64');
const base64Deflate = deflate.toString('base64');
/** '{"q":"a>b?c~"}' in the URL-safe alphabet (a '-', no padding). */
const base64UrlJson = 'eyJxIjoiYT5iP2N-In0';
/** A protobuf message (field 1 = 29, field 2 = bytes 68 ff) whose first two bytes pass zlib's header check. */
const base64LooksZlib = Buffer.from([0x08, 0x1d, 0x12, 0x02, 0x68, 0xff]).toString('base64');

/** An application extension (fixext 1, type 5) in an array before 7: read as sent. */
const msgpackExtension = Buffer.from([0x92, 0xd4, 0x05, 0x2a, 0x07]);

/** Broken ones: each cut before its end (the Base64 one is not Base64 at all). */
const msgpackTruncated = msgpack.subarray(0, msgpack.length - 3);
const cborCut = cbor.subarray(0, cbor.length - 3);
const gzipTruncated = gzip.subarray(0, gzip.length - 10);
const base64GzipTruncated = gzipTruncated.toString('base64');
const brotliTruncated = brotli.subarray(0, brotli.length - 4);
const NOT_BASE64 = 'this is not base64!';
/** Past the inflater's 64 KB scratch buffer and the CLI's preview (its body is fetched): read in full. */
const BIG_JSON_TEXT = JSON.stringify({ rows: Array.from({ length: 20_000 }, (_, i) => ({ i, name: `row ${i}` })) });
const bigGzip = zlib.gzipSync(BIG_JSON_TEXT);
/** 17 MB of zeros in 17 KB: past the 16 MiB Tunnelscope inflates (README: a decompression bomb). */
const gzipBomb = zlib.gzipSync(Buffer.alloc(17 * 1024 * 1024));
/** Base64 of text that is neither JSON nor gzip: auto does not take it for Base64. */
const base64Text = Buffer.from('plain words, not JSON at all').toString('base64');

interface Message {
  bytes: Buffer;
  binary: boolean;
}
const binary = (bytes: Buffer): Message => ({ bytes, binary: true });
const text = (value: string): Message => ({ bytes: Buffer.from(value, 'utf8'), binary: false });

/** Seven messages auto never takes for a protocol (README: never guessed from bytes alone). */
const UNGUESSED: readonly Message[] = [binary(msgpack), binary(cbor), binary(brotli), binary(deflateRaw), binary(deflate), text(base64Text), text(NOT_BASE64)];

/** What the server sends, by the request path. */
const SCENARIOS: Readonly<Record<string, readonly Message[]>> = {
  '/msgpack': [binary(msgpack), binary(msgpackExtension), binary(msgpackTruncated)],
  '/cbor': [binary(cbor), binary(cborCut)],
  '/compressed': [binary(gzip), binary(deflate), binary(deflateRaw), binary(brotli), binary(gzipTruncated), binary(brotliTruncated)],
  '/base64': [text(base64Json), text(base64Gzip), text(base64Deflate), text(base64UrlJson), text(NOT_BASE64), text(base64GzipTruncated), text(base64LooksZlib)],
  '/compressed-large': [binary(bigGzip), binary(gzipBomb)],
  '/base64-large': [text(bigGzip.toString('base64'))],
  // With a subprotocol naming the format (the server takes the one offered).
  '/by-subprotocol': [binary(msgpack)],
  '/auto/gzip': [binary(gzip), binary(deflate), binary(brotli), binary(gzipTruncated)],
  '/auto/base64-json': [text(base64Json), text(base64Gzip), text(NOT_BASE64)],
  '/auto/base64-gzip': [text(base64Gzip), text(base64Json)],
  // The 8th data message is the last one auto looks at; a gzip after it is not recognised.
  '/auto/gzip-8th': [...UNGUESSED, binary(gzip)],
  '/auto/gzip-9th': [...UNGUESSED, binary(msgpack), binary(gzip)],
};

// --- What a user reads for each ----------------------------------------------------------

type Decoded = { protocol: string; summary: string; value: unknown; guess?: true } | { protocol: string; summary: string; valid: false; problem: string; guess?: true };

function notValid(protocol: string, title: string, problem: string): Decoded {
  return { protocol, summary: `not valid ${title}: ${problem}`, valid: false, problem };
}

const MSGPACK_READ: Decoded = { protocol: 'msgpack', summary: 'MessagePack map {event, room, codes, big, …}', value: RECORD_READ };
const MSGPACK_EXTENSION: Decoded = { protocol: 'msgpack', summary: 'MessagePack array of 2', value: [{ $ext: 5, $bytes: 'Kg==', length: 1 }, 7] };
// Its last 3 bytes cut off: 1 of `blob`'s 4 bytes is left after its bin 8 head (2 bytes).
const MSGPACK_TRUNCATED: Decoded = notValid('msgpack', 'MessagePack', `the message (${msgpack.length - 3} B) ends before its value does: the bin 8 at byte ${msgpack.length - 6} says 4 B, 1 B is left (truncated, or a length is wrong)`);
const CBOR_READ: Decoded = { protocol: 'cbor', summary: 'CBOR map {event, room, codes, big, …}', value: RECORD_READ };
const CBOR_CUT: Decoded = notValid('cbor', 'CBOR', `the message (${cbor.length - 3} B) ends before its data item does (truncated, or a length is wrong)`);

function inflated(how: string, bytes: Buffer): Decoded {
  return {
    protocol: 'compressed',
    summary: `${how} → JSON map {event, payload} (${JSON_SIZE} B)`,
    value: { compression: how, size: bytes.length, inflatedSize: JSON_SIZE, as: 'JSON', payload: JSON_READ },
  };
}
const GZIP_TRUNCATED = notValid('compressed', 'compressed payload', `the gzip data (${gzip.length - 10} B) ends before its end marker (truncated)`);
const BROTLI_TRUNCATED = notValid('compressed', 'compressed payload', `truncated brotli, or not compressed: the data (${brotli.length - 4} B) ends too soon for brotli, is not raw deflate, and has no gzip or zlib header`);

const BASE64_JSON: Decoded = { protocol: 'base64', summary: `Base64 → JSON map {event, payload} (${JSON_SIZE} B)`, value: { size: JSON_SIZE, as: 'JSON', payload: JSON_READ } };
const BASE64_GZIP: Decoded = {
  protocol: 'base64',
  summary: `Base64, gzip → JSON map {event, payload} (${JSON_SIZE} B)`,
  value: { size: gzip.length, compression: 'gzip', inflatedSize: JSON_SIZE, as: 'JSON', payload: JSON_READ },
};
const BASE64_DEFLATE: Decoded = {
  protocol: 'base64',
  summary: `Base64, deflate → JSON map {event, payload} (${JSON_SIZE} B)`,
  value: { size: deflate.length, compression: 'deflate', inflatedSize: JSON_SIZE, as: 'JSON', payload: JSON_READ },
};
const BASE64_URL_JSON: Decoded = { protocol: 'base64', summary: 'Base64url → JSON map {q} (14 B)', value: { size: 14, as: 'JSON', payload: { q: 'a>b?c~' } } };
// 'this is not base64!': the first space is character 4.
const NOT_BASE64_READ = notValid('base64', 'Base64', "' ' at character 4 is not a Base64 character");
const BASE64_LOOKS_ZLIB: Decoded = {
  protocol: 'base64',
  summary: 'Base64 → binary (6 B)',
  value: { size: 6, notInflated: 'the deflate data (6 B) ends before its end marker (truncated)', as: 'bytes', payload: { $bytes: 'CB0SAmj/', length: 6 } },
};
const BASE64_GZIP_TRUNCATED = notValid('base64', 'Base64', `the decoded bytes look compressed but do not inflate: the gzip data (${gzip.length - 10} B) ends before its end marker (truncated)`);

const guessed = (decoded: Decoded): Decoded => ({ ...decoded, guess: true });

// --- The server and the CLI --------------------------------------------------------------

let server: WebSocketServer;
let port = 0;

beforeAll(async () => {
  // The first subprotocol the client offers is taken (none offered: none chosen).
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => offered.values().next().value ?? false });
  server.on('connection', (socket, request) => {
    const messages = SCENARIOS[new URL(request.url ?? '/', 'ws://host').pathname];
    if (!messages) return socket.close(1008, 'no such scenario');
    for (const message of messages) socket.send(message.bytes, { binary: message.binary });
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
  port = (listening.address() as AddressInfo).port;
});

afterAll(async () => {
  const closing = server;
  await new Promise<void>((resolve) => closing.close(() => resolve()));
});

let engine: Engine | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

interface FrameLine {
  type: string;
  dir?: string;
  opcode?: string;
  text?: string;
  base64?: string;
  decoded?: Decoded;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

/** `connect ws://127.0.0.1:<port><scenario> --count <its messages> …`, in process. */
async function connect(scenario: string, args: string[]): Promise<Run> {
  const count = SCENARIOS[scenario]?.length ?? 0;
  engine = new Engine({ host: 'cli', version: '1', env: {}, batch: { intervalMs: 5 } });
  const command = parseCommandLine(['connect', `ws://127.0.0.1:${port}${scenario}`, '--count', String(count), ...args, '--no-proxy']);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  const code = await runConnect(command, engine, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

function jsonLines(out: string): FrameLine[] {
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as FrameLine);
}

function incoming(lines: readonly FrameLine[]): FrameLine[] {
  return lines.filter((line) => line.type === 'frame' && line.dir === 'in' && (line.opcode === 'text' || line.opcode === 'binary'));
}

/** The human output's received data lines: "← 12:00:01.204 binary      77 B  <summary>". */
function humanLines(out: string): string[] {
  return out.split('\n').filter((line) => /^← \S+ (text|binary) /.test(line));
}

/** The size column: bytes below 1 KiB, else KiB with one decimal. */
function sizeColumn(size: number): string {
  return (size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} KiB`).padStart(9);
}

/** A received line as the human output prints it: arrow, clock, opcode, size, then the summary (or payload). */
function humanLine(opcode: 'text' | 'binary', size: number, shown: string): RegExp {
  const escaped = `${sizeColumn(size)}  ${shown}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^← \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${opcode.padEnd(6)} ${escaped}$`);
}

function expectHuman(out: string, expected: readonly { message: Message; shown: string }[]): void {
  const lines = humanLines(out);
  expect(lines).toHaveLength(expected.length);
  expected.forEach(({ message, shown }, index) => expect(lines[index]).toMatch(humanLine(message.binary ? 'binary' : 'text', message.bytes.length, shown)));
}

const NAMED_NOTICE = (title: string): string => `Decoding as ${title} (chosen with --decode)\n`;
const GUESS_HINT = '; --decode <name> to confirm or change, --decode none to turn off';

// --- Named formats -------------------------------------------------------------------------

describe('--decode <payload format>: each frame read as that format, broken ones said as not valid', () => {
  const cases: { choice: string; title: string; scenario: string; expected: Decoded[] }[] = [
    { choice: 'msgpack', title: 'MessagePack', scenario: '/msgpack', expected: [MSGPACK_READ, MSGPACK_EXTENSION, MSGPACK_TRUNCATED] },
    { choice: 'cbor', title: 'CBOR', scenario: '/cbor', expected: [CBOR_READ, CBOR_CUT] },
    {
      choice: 'compressed',
      title: 'compressed payload',
      scenario: '/compressed',
      expected: [inflated('gzip', gzip), inflated('deflate', deflate), inflated('deflate-raw', deflateRaw), inflated('brotli', brotli), GZIP_TRUNCATED, BROTLI_TRUNCATED],
    },
    { choice: 'base64', title: 'Base64', scenario: '/base64', expected: [BASE64_JSON, BASE64_GZIP, BASE64_DEFLATE, BASE64_URL_JSON, NOT_BASE64_READ, BASE64_GZIP_TRUNCATED, BASE64_LOOKS_ZLIB] },
  ];

  for (const { choice, title, scenario, expected } of cases) {
    it(`--decode ${choice} --json: a decode line, then each frame's decoded {protocol, summary, value} or {valid: false, problem}; exit 0`, async () => {
      const run = await connect(scenario, ['--decode', choice, '--json']);
      expect(run.code).toBe(0);
      expect(run.err).toBe('');
      const lines = jsonLines(run.out);
      expect(lines.filter((line) => line.type === 'decode')).toEqual([{ type: 'decode', protocol: choice, guess: false, reason: 'chosen with --decode' }]);
      const frames = incoming(lines);
      expect(frames.map((frame) => frame.decoded)).toEqual(expected);
      // The raw payload is still on the line beside its decoding.
      const sent = SCENARIOS[scenario] ?? [];
      expect(frames.map((frame) => frame.opcode)).toEqual(sent.map((message) => (message.binary ? 'binary' : 'text')));
      expect(frames.map((frame) => frame.base64 ?? frame.text)).toEqual(sent.map((message) => (message.binary ? message.bytes.toString('base64') : message.bytes.toString('utf8'))));
    });

    it(`--decode ${choice}, human output: the notice on stderr, one summary line per frame; exit 0`, async () => {
      const run = await connect(scenario, ['--decode', choice]);
      expect(run.code).toBe(0);
      expect(run.err).toBe(NAMED_NOTICE(title));
      const sent = SCENARIOS[scenario] ?? [];
      expectHuman(run.out, sent.map((message, index) => ({ message, shown: expected[index]?.summary ?? '' })));
      expect(run.out).toContain('Closed   we closed with 1000');
    });
  }

  it('--decode compressed --json: a gzip inflating to 584 KiB read in full; a gzip bomb refused past 16 MiB, not expanded', async () => {
    const run = await connect('/compressed-large', ['--decode', 'compressed', '--json']);
    expect(run.code).toBe(0);
    const size = Buffer.byteLength(BIG_JSON_TEXT);
    expect(incoming(jsonLines(run.out)).map((frame) => frame.decoded)).toEqual([
      {
        protocol: 'compressed',
        summary: `gzip → JSON map {rows} (${size} B)`,
        value: { compression: 'gzip', size: bigGzip.length, inflatedSize: size, as: 'JSON', payload: JSON.parse(BIG_JSON_TEXT) as unknown },
      },
      notValid('compressed', 'compressed payload', `gzip data of ${gzipBomb.length} B inflates past 16 MiB (refused: a decompression bomb, or more than Tunnelscope shows)`),
    ]);
  });

  it('--decode base64, human output: a text message past the preview (its body fetched) read in full', async () => {
    const run = await connect('/base64-large', ['--decode', 'base64']);
    expect(run.code).toBe(0);
    const sent = SCENARIOS['/base64-large'] ?? [];
    expectHuman(run.out, sent.map((message) => ({ message, shown: `Base64, gzip → JSON map {rows} (${Buffer.byteLength(BIG_JSON_TEXT)} B)` })));
  });
});

// --- auto -----------------------------------------------------------------------------------

describe('--decode auto on payload formats', () => {
  const GZIP_REASON = 'a message starts with the gzip signature 1f 8b 08';
  const BASE64_REASON = 'a message is Base64 text that carries gzip or JSON';

  it('gzip first: guessed by its signature; deflate and brotli after it read too, the truncated gzip not valid (--json)', async () => {
    const run = await connect('/auto/gzip', ['--json']);
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    const lines = jsonLines(run.out);
    expect(lines.filter((line) => line.type === 'decode')).toEqual([{ type: 'decode', protocol: 'compressed', guess: true, reason: GZIP_REASON }]);
    expect(incoming(lines).map((frame) => frame.decoded)).toEqual([inflated('gzip', gzip), inflated('deflate', deflate), inflated('brotli', brotli), GZIP_TRUNCATED].map(guessed));
  });

  it('gzip first, human output: "Decoding as compressed payload (a guess: …)" on stderr, the summaries on stdout', async () => {
    const run = await connect('/auto/gzip', []);
    expect(run.code).toBe(0);
    expect(run.err).toBe(`Decoding as compressed payload (a guess: ${GZIP_REASON})${GUESS_HINT}\n`);
    const sent = SCENARIOS['/auto/gzip'] ?? [];
    const shown = [inflated('gzip', gzip), inflated('deflate', deflate), inflated('brotli', brotli), GZIP_TRUNCATED].map((decoded) => decoded.summary);
    expectHuman(run.out, sent.map((message, index) => ({ message, shown: shown[index] ?? '' })));
  });

  it('Base64 of JSON first: guessed as Base64; Base64 of gzip read and inflated, text that is not Base64 not valid (--json)', async () => {
    const run = await connect('/auto/base64-json', ['--json']);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.out);
    expect(lines.filter((line) => line.type === 'decode')).toEqual([{ type: 'decode', protocol: 'base64', guess: true, reason: BASE64_REASON }]);
    expect(incoming(lines).map((frame) => frame.decoded)).toEqual([BASE64_JSON, BASE64_GZIP, NOT_BASE64_READ].map(guessed));
  });

  it('Base64 of gzip first: guessed as Base64 too (human output)', async () => {
    const run = await connect('/auto/base64-gzip', []);
    expect(run.code).toBe(0);
    expect(run.err).toBe(`Decoding as Base64 (a guess: ${BASE64_REASON})${GUESS_HINT}\n`);
    const sent = SCENARIOS['/auto/base64-gzip'] ?? [];
    expectHuman(run.out, sent.map((message, index) => ({ message, shown: [BASE64_GZIP, BASE64_JSON][index]?.summary ?? '' })));
  });

  it('a subprotocol naming MessagePack or CBOR is the one way auto takes them (--json)', async () => {
    for (const [subprotocol, expected] of [
      ['v1.msgpack', MSGPACK_READ],
      // The same MessagePack bytes read as CBOR: the subprotocol is believed; its first byte (map16) is a reserved CBOR head.
      ['events.cbor', notValid('cbor', 'CBOR', 'the head 0xde at byte 0 uses the reserved additional information 30 (major type 6, tag)')],
    ] as const) {
      const run = await connect('/by-subprotocol', ['--subprotocol', subprotocol, '--json']);
      expect(run.code).toBe(0);
      const lines = jsonLines(run.out);
      expect(lines.filter((line) => line.type === 'decode')).toEqual([{ type: 'decode', protocol: expected.protocol, guess: true, reason: `the server chose the subprotocol ${subprotocol}` }]);
      expect(incoming(lines).map((frame) => frame.decoded)).toEqual([guessed(expected)]);
      await engine?.dispose();
      engine = undefined;
    }
  });

  it('MessagePack, CBOR, brotli, raw deflate, zlib deflate and Base64 of plain text are never guessed: printed raw until a gzip, the 8th message, is', async () => {
    const run = await connect('/auto/gzip-8th', ['--json']);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.out);
    expect(lines.filter((line) => line.type === 'decode')).toEqual([{ type: 'decode', protocol: 'compressed', guess: true, reason: GZIP_REASON }]);
    const frames = incoming(lines);
    expect(frames).toHaveLength(8);
    // The seven before it: raw, as without --decode (binary as base64, text as text).
    expect(frames.slice(0, 7).map((frame) => frame.decoded)).toEqual(Array.from({ length: 7 }, () => undefined));
    expect(frames.slice(0, 7).map((frame) => frame.base64 ?? frame.text)).toEqual(UNGUESSED.map((message) => (message.binary ? message.bytes.toString('base64') : message.bytes.toString('utf8'))));
    expect(frames[7]?.decoded).toEqual(guessed(inflated('gzip', gzip)));
    // The decode line comes right before the frame that showed the protocol.
    const decodeAt = lines.findIndex((line) => line.type === 'decode');
    expect(lines[decodeAt + 1]).toMatchObject({ type: 'frame', dir: 'in', base64: gzip.toString('base64') });
  });

  it('after 8 data messages without a sign auto stops looking: a gzip 9th is printed raw, nothing said on stderr (human output)', async () => {
    const run = await connect('/auto/gzip-9th', []);
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    const sent = SCENARIOS['/auto/gzip-9th'] ?? [];
    const hex = (bytes: Buffer): string => `hex ${[...bytes.subarray(0, 64)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
    const raw = humanLines(run.out);
    expect(raw).toHaveLength(9);
    // Text as its text; binary as its hex (the preview, cut at 64 bytes with "…").
    sent.forEach((message, index) => {
      const shown = message.binary ? hex(message.bytes) + (message.bytes.length > 64 ? '…' : '') : message.bytes.toString('utf8');
      expect(raw[index]).toMatch(humanLine(message.binary ? 'binary' : 'text', message.bytes.length, shown));
    });
    expect(run.out).not.toContain('gzip ');
  });
});

// --- The binary, as a user runs it -----------------------------------------------------------

describe('tunnelscope connect --decode, spawned', () => {
  afterEach(stopCliProcesses);

  /** stdin gives nothing: the scenario's --count ends the session. NO_COLOR dropped too (stdout is a pipe: no colours). */
  function runCli(scenario: string, args: string[]): Promise<CliResult> {
    const count = String(SCENARIOS[scenario]?.length ?? 0);
    return runCliProcess(['connect', `ws://127.0.0.1:${port}${scenario}`, '--count', count, '--no-proxy', ...args], {
      env: envWithoutProxies((name) => name === 'NO_COLOR'),
      stdin: 'ignore',
    });
  }

  it(
    '--decode cbor: the summary and the not-valid line on stdout, the notice on stderr, exit 0',
    async () => {
      const run = await runCli('/cbor', ['--decode', 'cbor']);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe(NAMED_NOTICE('CBOR'));
      expectHuman(run.stdout, [
        { message: binary(cbor), shown: CBOR_READ.summary },
        { message: binary(cborCut), shown: CBOR_CUT.summary },
      ]);
    },
    WAIT_MS,
  );

  it(
    '--decode auto --json on Base64: the guess and each frame decoded, exit 0',
    async () => {
      const run = await runCli('/auto/base64-json', ['--json']);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      const lines = jsonLines(run.stdout);
      expect(lines.filter((line) => line.type === 'decode')).toEqual([{ type: 'decode', protocol: 'base64', guess: true, reason: 'a message is Base64 text that carries gzip or JSON' }]);
      expect(incoming(lines).map((frame) => frame.decoded)).toEqual([BASE64_JSON, BASE64_GZIP, NOT_BASE64_READ].map(guessed));
    },
    WAIT_MS,
  );
});
