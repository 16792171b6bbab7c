import { describe, expect, it } from 'vitest';
import { exportToText } from '../../../src-main/core/export/export-session';
import { describeProblems } from '../../../src-main/core/export/import-problems';
import { guessFormat, importLog } from '../../../src-main/core/export/import-log';
import { UNKNOWN_URL, type ImportedLog } from '../../../src-main/core/export/imported-log';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import type { FrameStore } from '../../../src-main/core/session/frame-store';
import type { LogFormat } from '../../../src-main/shared/log-file';
import { T0, fixtureFrames, fixtureSession } from './log-fixture';

async function importOk(text: string, format?: LogFormat): Promise<ImportedLog> {
  const outcome = await importLog(text, format ? { format } : {});
  if (!outcome.ok) throw new Error(describeProblems('test', outcome.problems));
  return outcome.log;
}

async function problemsOf(text: string, options: { format?: LogFormat; maxChars?: number } = {}): Promise<{ where: string; message: string }[]> {
  const outcome = await importLog(text, options);
  expect(outcome.ok).toBe(false);
  return outcome.ok ? [] : outcome.problems.items;
}

/** Every sentence about the file: its problems when refused, else what was left out. */
async function saidOf(text: string, options: { format?: LogFormat } = {}): Promise<string[]> {
  const outcome = await importLog(text, options);
  const items = outcome.ok ? outcome.log.leftOut : outcome.problems.items;
  return items.map((p) => (p.where === '' ? p.message : `${p.where}: ${p.message}`));
}

function framesOf(store: FrameStore): unknown[] {
  const out: unknown[] = [];
  for (let seq = store.firstSeq; seq > 0 && seq <= store.lastSeq; seq++) {
    const frame = store.entry(seq);
    if (frame) out.push({ dir: frame.dir, opcode: frame.opcode, at: frame.at, payload: frame.payload.toString('hex'), closeCode: frame.closeCode });
  }
  return out;
}

const line = (value: unknown): string => JSON.stringify(value);
const frame = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  seq: 1,
  dir: 'in',
  opcode: 'text',
  at: '2024-05-01T10:20:30.100Z',
  size: 2,
  text: 'hi',
  ...extra,
});

/** The fields a version-1 header needs (all but type and version). */
const headerFields = (): Record<string, unknown> => ({
  url: 'ws://x/',
  createdAt: '2024-05-01T10:00:00.000Z',
  exportedAt: '2024-05-01T10:05:00.000Z',
  state: 'open',
  proxy: null,
  handshake: [],
  error: null,
  closed: null,
  framesDropped: 0,
  filter: null,
});

describe('importing what we export', () => {
  it.each<LogFormat>(['ndjson', 'har'])('reads back a %s export: frames, times, handshake, decision, ending', async (format) => {
    const { text } = await exportToText(fixtureSession(), { format, version: '1' });
    const log = await importOk(text);
    expect(log.format).toBe(format);
    expect(log.url).toBe('wss://user@echo.example/socket?room=1');
    expect(framesOf(log.frames)).toEqual(framesOf(fixtureFrames()));
    expect(log.steps.map((step) => step.leg)).toEqual(['resolve', 'tcp', 'proxy', 'tls', 'upgrade']);
    expect(log.decision?.source).toBe('manual');
    expect(log.closed).toEqual({ code: 1000, reason: 'bye', wasClean: true, initiatedBy: 'client', at: T0 + 310 });
    expect(log.createdAt).toBe(format === 'ndjson' ? T0 : T0); // the first step started with the session
    expect(log.notes).toEqual([]);
  });

  it.each<LogFormat>(['ndjson', 'har'])("an intercepted connection's %s export carries the client's side of the handshake (secrets redacted again) and reads it back; a file without it still reads", async (format) => {
    const clientHandshake = {
      request: { startLine: 'GET /socket?room=1 HTTP/1.1', headers: [['Host', 'echo.example'], ['X-Api-Token', 'tok-123'], ['Sec-WebSocket-Protocol', 'chat.v1']] as [string, string][] },
      response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [['Upgrade', 'websocket'], ['Sec-WebSocket-Protocol', 'chat.v1']] as [string, string][] },
    };
    const { text } = await exportToText({ ...fixtureSession(), clientHandshake: () => clientHandshake }, { format, version: '1' });
    expect(text).not.toContain('tok-123');
    const log = await importOk(text);
    expect(log.notes).toEqual([]);
    expect(log.clientHandshake?.request.startLine).toBe('GET /socket?room=1 HTTP/1.1');
    expect(log.clientHandshake?.request.headers.map(([name]) => name)).toEqual(['Host', 'X-Api-Token', 'Sec-WebSocket-Protocol']);
    expect(log.clientHandshake?.request.headers[1]?.[1]).not.toBe('tok-123');
    expect(log.clientHandshake?.response).toEqual(clientHandshake.response);
    const plain = await importOk((await exportToText(fixtureSession(), { format, version: '1' })).text);
    expect(plain.clientHandshake).toBeUndefined();
  });

  it("a HAR whose _clientHandshake is not a handshake imports without it, saying where", async () => {
    const { text } = await exportToText(fixtureSession(), { format: 'har', version: '1' });
    const document = JSON.parse(text) as { log: { entries: Record<string, unknown>[] } };
    const entry = document.log.entries[0];
    if (!entry) throw new Error('no entry');
    entry['_clientHandshake'] = { request: { startLine: 'GET / HTTP/1.1' } };
    const log = await importOk(JSON.stringify(document));
    expect(log.clientHandshake).toBeUndefined();
    expect(log.notes).toEqual([expect.stringMatching(/^the client's handshake was ignored \(.*_clientHandshake.*request.*headers.*\)/)]);
  });

  it("keeps a filtered export's own frame numbers beside the store's 1..n, with no note", async () => {
    const compiled = compileFilter({ opcodes: ['binary', 'pong'] });
    if (!compiled.ok) throw new Error('filter');
    const { text } = await exportToText(fixtureSession(), { format: 'ndjson', version: '1', filter: { raw: { opcodes: ['binary', 'pong'] }, compiled: compiled.filter } });
    const log = await importOk(text);
    expect(log.frames.count).toBe(2);
    expect(log.frames.firstSeq).toBe(1);
    expect(log.numbers?.toList()).toEqual([3, 5]);
    expect(log.notes.join(' ')).not.toContain('numbered');
  });

  it('reads NDJSON without a header (URL unknown), with CRLF line ends and blank lines', async () => {
    const text = ['', line(frame()), '', line(frame({ seq: 2, dir: 'out', opcode: 'binary', text: undefined, base64: 'AAE=', size: 2 })), ''].join('\r\n');
    const log = await importOk(text);
    expect(log.url).toBe(UNKNOWN_URL);
    expect(log.frames.count).toBe(2);
    expect(log.frames.get(2)?.base64).toBe('AAE=');
    expect(log.notes.join(' ')).toContain('no header line');
  });

  it('keeps the newest frames when the file holds more than the store, and says so', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => line(frame({ seq: i + 1 })));
    const outcome = await importLog(lines.join('\n'), { store: { maxFrames: 3 } });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.log.frames.count).toBe(3);
    expect(outcome.log.frames.dropped).toBe(2);
    expect(outcome.log.notes.join(' ')).toContain('2 older frames were dropped');
  });
});

describe('importing a HAR written by Chrome', () => {
  const chromeHar = {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [],
      entries: [
        { startedDateTime: '2024-05-01T10:00:00.000Z', request: { url: 'https://app.example/' }, response: { status: 200 } },
        {
          startedDateTime: '2024-05-01T10:00:01.000Z',
          time: 5000,
          request: {
            method: 'GET',
            url: 'wss://app.example/live?x=1',
            httpVersion: 'HTTP/1.1',
            headers: [
              { name: 'Cookie', value: 'sid=secret-cookie' },
              { name: 'Upgrade', value: 'websocket' },
            ],
          },
          response: { status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', headers: [{ name: 'Upgrade', value: 'websocket' }] },
          timings: { blocked: 1, dns: -1, connect: -1, send: 0, wait: 12, receive: 4000 },
          _resourceType: 'websocket',
          _webSocketMessages: [
            { type: 'send', time: 1714557601.5, opcode: 1, data: '{"op":"sub"}' },
            { type: 'receive', time: 1714557601.75, opcode: 2, data: 'AQID' },
            { type: 'error', time: 1714557602, opcode: 1, data: 'connection reset' },
          ],
        },
        { startedDateTime: '2024-05-01T10:00:09.000Z', request: { url: 'wss://other.example/' }, _webSocketMessages: [] },
      ],
    },
  };

  it('imports the first WebSocket entry: frames, and the upgrade from its request and response', async () => {
    const log = await importOk(JSON.stringify(chromeHar));
    expect(log.format).toBe('har');
    expect(log.url).toBe('wss://app.example/live?x=1');
    expect(framesOf(log.frames)).toEqual([
      { dir: 'out', opcode: 'text', at: 1714557601500, payload: Buffer.from('{"op":"sub"}').toString('hex'), closeCode: undefined },
      { dir: 'in', opcode: 'binary', at: 1714557601750, payload: '010203', closeCode: undefined },
    ]);
    expect(log.steps).toHaveLength(1);
    expect(log.steps[0]).toMatchObject({
      leg: 'upgrade',
      ok: true,
      ms: 12,
      peer: 'app.example',
      request: { startLine: 'GET /live?x=1 HTTP/1.1' },
      response: { startLine: 'HTTP/1.1 101 Switching Protocols' },
    });
    expect(log.steps[0]?.request?.headers).toContainEqual(['Cookie', '••••••']);
    expect(log.notes.join(' | ')).toContain('1 "error" messages were skipped');
    expect(log.notes.join(' | ')).toContain('2 WebSocket entries; imported the first');
  });
});

describe('import problems: one sentence each, with its line or entry and the field in words', () => {
  it.each<[string, string, string]>([
    ['bad JSON on a line', [line(frame()), '{"seq": 2,', line(frame({ seq: 3 }))].join('\n'), 'line 2: the line is not valid JSON: expected double-quoted property name at column 11'],
    ['bad JSON mid-line', [line(frame()), '{"seq": 2 "dir": "in"}'].join('\n'), "line 2: the line is not valid JSON: expected ',' or '}' after property value at column 11"],
    ['a missing direction', line(frame({ dir: undefined })), 'line 1: the frame\'s direction is missing (expected "in" or "out")'],
    ['a wrong direction', line(frame({ dir: 'sideways' })), 'line 1: the frame\'s direction must be "in" or "out" (found "sideways")'],
    ['a wrong type', line(frame({ seq: '1' })), 'line 1: the frame\'s number (seq) must be a number (found a string "1")'],
    ['a fractional seq', line(frame({ seq: 1.5 })), 'line 1: the frame\'s number (seq) must be a whole number (found 1.5)'],
    ['an unknown opcode', line(frame({ opcode: 'fin' })), 'line 1: the frame\'s type (opcode) must be "text", "binary", "ping", "pong" or "close" (found "fin")'],
    ['a text frame without text', line(frame({ text: undefined })), 'line 1: a text frame needs "text"'],
    ['a binary frame without base64', line(frame({ opcode: 'binary', text: undefined })), 'line 1: a binary frame needs "base64"'],
    [
      'base64 that is not base64',
      line(frame({ opcode: 'binary', text: undefined, base64: 'a*b=' })),
      'line 1: the frame\'s payload (base64) must be base64: "*" at offset 1 (the 2nd character) is not a base64 character (A–Z, a–z, 0–9, +, /, and = padding at the end)',
    ],
    [
      'base64 with a character after its padding',
      line(frame({ opcode: 'binary', text: undefined, base64: 'AAE$$==x', size: 5 })),
      'line 1: the frame\'s payload (base64) must be base64: "$" at offset 3 (the 4th character) is not a base64 character',
    ],
    [
      'base64 with padding inside',
      line(frame({ opcode: 'binary', text: undefined, base64: 'AA==AAAA', size: 5 })),
      'line 1: the frame\'s payload (base64) must be base64: "A" at offset 4 (the 5th character) comes after the "=" padding, which may only end the text',
    ],
    [
      'base64 with a control character',
      line(frame({ opcode: 'binary', text: undefined, base64: 'AA\tA', size: 5 })),
      'line 1: the frame\'s payload (base64) must be base64: the control character U+0009 at offset 2 (the 3rd character) is not a base64 character',
    ],
    [
      'base64 of a bad length',
      line(frame({ opcode: 'binary', text: undefined, base64: 'AAE' })),
      'line 1: the frame\'s payload (base64) is 3 characters long: base64 comes in groups of 4',
    ],
    ['a negative size', line(frame({ size: -1 })), 'line 1: the frame\'s size must be at least 0 (found -1)'],
    ['a size that does not match', line(frame({ size: 3 })), 'line 1: the frame\'s size 3 does not match its payload, which is 2 bytes'],
    [
      'a time that is not ISO 8601',
      line(frame({ at: 'yesterday' })),
      'line 1: the frame\'s time (at) must be an ISO 8601 date and time, e.g. 2024-05-01T10:00:00.000Z (found "yesterday")',
    ],
    ['a header that is not first', [line(frame()), line({ type: 'tunnelscope-session', version: 1 })].join('\n'), 'line 2: a header line may only come first'],
    [
      'a header without its URL',
      line({ type: 'tunnelscope-session', version: 1, state: 'dancing' }),
      "line 1: the session's URL is missing (expected a string)",
    ],
    [
      'a header with a wrong state',
      line({ type: 'tunnelscope-session', version: 1, url: 'ws://x/', state: 'dancing' }),
      "line 1: the session's state must be ",
    ],
    [
      'a header with a field deep inside',
      line({ type: 'tunnelscope-session', version: 1, url: 'ws://x/', closed: { code: 1000 } }),
      'line 1: the close reason is missing (expected a string)',
    ],
    ['an empty file', '  \n\n', 'the file is empty'],
  ])('NDJSON: %s', async (_name, text, sentence) => {
    const said = await saidOf(text);
    expect(said.some((s) => s.startsWith(sentence)), JSON.stringify(said, null, 1)).toBe(true);
    // No raw validator wording reaches the user.
    for (const s of said) expect(s).not.toMatch(/Invalid input|Invalid option|expected one of|received undefined/);
  });

  it('reports every problem of a file that holds no whole frame, and imports nothing', async () => {
    const text = ['oops', line(frame({ seq: 3, dir: 'sideways' })), line(frame({ seq: 4, size: 9 }))].join('\n');
    const outcome = await importLog(text, {});
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.items.map((p) => p.where)).toEqual(['line 1', 'line 2', 'line 3']);
    const message = describeProblems('capture.ndjson', outcome.problems);
    expect(message.split('\n')[0]).toBe('capture.ndjson: 3 problems, nothing imported');
    expect(message).toContain('- line 2: the frame\'s direction must be "in" or "out" (found "sideways")');
  });

  it('imports the whole frames around bad lines, and the notes say each line left out and why', async () => {
    const text = [line(frame()), 'oops', line(frame({ seq: 3, dir: 'sideways' })), line(frame({ seq: 4, size: 9 })), line(frame({ seq: 5, text: 'yo' }))].join('\n');
    const log = await importOk(text);
    expect(framesOf(log.frames).map((f) => Reflect.get(Object(f), 'payload'))).toEqual(['6869', '796f']);
    expect(log.leftOut.map((p) => p.where)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(log.notes.slice(0, 4)).toEqual([
      '3 lines of the file could not be read and were left out; the rest is imported:',
      "left out line 2: the line is not valid JSON: unexpected token 'o'",
      'left out line 3: the frame\'s direction must be "in" or "out" (found "sideways")',
      "left out line 4: the frame's size 9 does not match its payload, which is 2 bytes",
    ]);
    // The frames keep the file's numbers: the left-out lines' numbers are simply not there.
    expect(log.numbers?.toList()).toEqual([1, 5]);
  });

  it('a log cut short imports every whole line and says the last one was cut', async () => {
    const whole = [line({ type: 'tunnelscope-session', version: 1, ...headerFields() }), ...[1, 2, 3].map((seq) => line(frame({ seq })))];
    const cut = line(frame({ seq: 4 })).slice(0, 30);
    const log = await importOk([...whole, cut].join('\n'));
    expect(log.frames.count).toBe(3);
    expect(log.url).toBe('ws://x/');
    expect(log.leftOut).toEqual([{ where: 'line 5', message: 'the line is not valid JSON: unterminated string at column 31: the file ends before this line does (it looks cut short)' }]);
    // A broken line that is not the last is not called a cut.
    const inside = await importOk([...whole, cut, line(frame({ seq: 5 }))].join('\n'));
    expect(inside.frames.count).toBe(4);
    expect(inside.leftOut[0]?.message).not.toContain('cut short');
  });

  it('a repeated seq imports every frame numbered 1..n, and the note says why and on which line', async () => {
    const log = await importOk([1, 2, 2, 3].map((seq) => line(frame({ seq, text: `f${seq}`, size: String(seq).length + 1 }))).join('\n'));
    expect(framesOf(log.frames).map((f) => Buffer.from(String(Reflect.get(Object(f), 'payload')), 'hex').toString())).toEqual(['f1', 'f2', 'f2', 'f3']);
    expect(log.leftOut).toEqual([]);
    expect(log.numbers).toBeUndefined();
    expect(log.notes).toContain("the frames are numbered 1 to 4 here, not as in the file: line 3: the frame's number (seq) 2 repeats the previous frame's number (line 2)");
  });

  it('a header of another version, or one that cannot be read, refuses the file: it says how to read the lines', async () => {
    const frames = [1, 2].map((seq) => line(frame({ seq })));
    expect(await problemsOf([line({ type: 'tunnelscope-session', version: 99 }), ...frames].join('\n'))).toEqual([
      { where: 'line 1', message: "the header's version is 99: this Tunnelscope reads version 1 logs" },
    ]);
    const said = await problemsOf([line({ type: 'tunnelscope-session', version: 1, ...headerFields(), state: 'dancing' }), ...frames].join('\n'));
    expect(said.map((p) => p.where)).toEqual(['line 1']);
  });

  it('lists at most 20 left-out lines in the notes and counts the rest', async () => {
    const lines = [line(frame())];
    for (let i = 0; i < 25; i++) lines.push('{');
    const log = await importOk(lines.join('\n'));
    expect(log.leftOut).toHaveLength(25);
    expect(log.notes[0]).toBe('25 lines of the file could not be read and were left out; the rest is imported:');
    expect(log.notes[21]).toBe('… and 5 more lines left out');
  });

  it('HAR: bad messages are left out and the rest imported; all bad refuses', async () => {
    const messages = [good, { ...good, opcode: 2, data: '@@@not base64' }, { ...good, type: 'sideways' }, { ...good, data: 'y' }];
    const log = await importOk(entry(messages), 'har');
    expect(framesOf(log.frames).map((f) => Reflect.get(Object(f), 'payload'))).toEqual(['78', '79']);
    expect(log.leftOut.map((p) => p.where)).toEqual([`${M}[1]`, `${M}[2]`]);
    expect(log.notes[0]).toBe('2 messages of the file could not be read and were left out; the rest is imported:');
    expect(log.notes[1]).toBe(
      `left out ${M}[1]: the message's data must be base64 for opcode 2 (as Chrome writes non-text frames): "@" at offset 0 (the 1st character) is not a base64 character (A–Z, a–z, 0–9, +, /, and = padding at the end)`,
    );
    const refused = await problemsOf(entry([{ ...good, type: 'sideways' }]), { format: 'har' });
    expect(refused.map((p) => p.where)).toEqual([`${M}[0]`]);
  });

  it('refuses an oversized file before reading it', async () => {
    const problems = await problemsOf('x'.repeat(3 * 1024 * 1024), { maxChars: 2 * 1024 * 1024 });
    expect(problems).toEqual([{ where: '', message: 'the file is 3.0 MiB; the largest file that can be imported is 2.0 MiB' }]);
  });

  const entry = (messages: unknown[], extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ log: { entries: [{ startedDateTime: '2024-05-01T10:00:00Z', request: { url: 'wss://x/' }, _webSocketMessages: messages, ...extra }] } });
  const good = { type: 'send', time: 1, opcode: 1, data: 'x' };
  const M = 'log.entries[0]._webSocketMessages';

  it.each<[string, string, string]>([
    ['not JSON', '{"log": {', "the file ends at line 1, column 10 before its JSON does (expected property name or '}'): it looks cut short"],
    ['no log', '{"entries": []}', 'the "log" object is missing (expected an object)'],
    ['entries not an array', '{"log": {"entries": {}}}', 'the list of entries (log.entries) must be an array (found an object)'],
    ['no WebSocket entry', '{"log": {"entries": [{"request": {"url": "https://x/"}}]}}', 'log.entries: the file has no WebSocket entry'],
    ['a bad start time', entry([good], { startedDateTime: 'soon' }), "log.entries[0]: the entry's start time (startedDateTime) must be an ISO 8601 date and time"],
    ['a request without url', entry([good], { request: {} }), "log.entries[0]: the request's URL is missing (expected a string)"],
    ['a message without opcode', entry([good, { type: 'send', time: 1, data: 'x' }]), `${M}[1]: the message's opcode is missing (expected a number)`],
    ['a message with a wrong type', entry([{ ...good, time: '1' }]), `${M}[0]: the message's time must be a number (found a string "1")`],
    ['an unknown message type', entry([{ ...good, type: 'sent' }]), `${M}[0]: the message's type must be "send" or "receive" (found "sent")`],
    ['an unknown opcode', entry([{ ...good, opcode: 0 }]), `${M}[0]: the message's opcode must be 1 (text), 2 (binary), 8 (close), 9 (ping) or 10 (pong) (found 0)`],
    ['binary data that is not base64', entry([{ ...good, opcode: 2, data: 'not base64!' }]), `${M}[0]: the message's data must be base64 for opcode 2 (as Chrome writes non-text frames): " " at offset 3 (the 4th character) is not a base64 character`],
    ['binary data of a bad length', entry([{ ...good, opcode: 2, data: 'AAE' }]), `${M}[0]: the message's data must be base64 for opcode 2 (as Chrome writes non-text frames): it is 3 characters long, and base64 comes in groups of 4`],
    ['a cut HAR', '{\n  "log": {\n    "entries": [{"a": "b', 'the file ends at line 3, column 25 before its JSON does (unterminated string): it looks cut short'],
    ['a HAR whose JSON just stops', '{"log": ', 'the file ends at line 1, column 9 before its JSON does (the JSON is not complete): it looks cut short'],
    ['a HAR with a stray token', '{"log": nope}', "the file is not valid JSON: unexpected token 'o'"],
    ['a HAR broken mid-file', '{\n  "log": {\n    "entries" []}}', "the file is not valid JSON: expected ':' after property name at line 3, column 15"],
    ['a header without a value', entry([good], { request: { url: 'wss://x/', headers: [{ name: 'A' }] } }), 'log.entries[0]: the field "request.headers[0].value" in the request\'s headers is missing (expected a string)'],
  ])('HAR: %s', async (_name, text, sentence) => {
    const said = await saidOf(text, { format: 'har' });
    expect(said.some((s) => s.startsWith(sentence)), JSON.stringify(said, null, 1)).toBe(true);
    for (const s of said) expect(s).not.toMatch(/Invalid input|Invalid option|expected one of|received undefined/);
  });
});

describe('guessFormat', () => {
  it.each<[string, LogFormat]>([
    ['{\n  "log": {', 'har'],
    ['{"log":{"entries":[]}}', 'har'],
    ['{"type":"tunnelscope-session"}\n{"seq":1}', 'ndjson'],
    ['{"seq":1,"dir":"in"}', 'ndjson'],
    ['garbage', 'ndjson'],
  ])('%j → %s', (text, format) => {
    expect(guessFormat(text)).toBe(format);
  });
});
