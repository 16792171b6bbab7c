/**
 * An export's decoding quotes no credential: it decodes the frames as the export writes them
 * (masked), so a message that is not valid as the protocol decoded (a CONNECT or connection_init
 * cut across two messages, one protocol's traffic read as another) is quoted in `summary` or
 * `problem` with '*' where the secret was. A STOMP CONNECT's passcode, an MQTT CONNECT's password,
 * a GraphQL connection_init's token and a Socket.IO CONNECT's auth token, each cut across two
 * messages at several offsets and echoed back, then a message of the protocol with
 * credential-like words that are no credentials; exported as NDJSON and HAR with every Decode
 * choice (and none asked).
 *
 * What each export must show: no 6-byte piece of the secret as text, no 9-byte piece as Base64
 * (at each alignment), anywhere in the file; each frame line the message as stored with exactly
 * the secret's bytes '*'; the last message decoded with its words as they are; and the import of
 * the file decodes the same.
 */
import { describe, expect, it } from 'vitest';
import { DECODE_CHOICES, type DecodeChoice } from '../../../src-main/core/decode/session-decoding';
import { ExportDecoding } from '../../../src-main/core/export/export-decoding';
import { exportToText } from '../../../src-main/core/export/export-session';
import { harMessage } from '../../../src-main/core/export/har-export';
import { importLog } from '../../../src-main/core/export/import-log';
import { ndjsonFrame } from '../../../src-main/core/export/ndjson-export';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import type { SessionLog } from '../../../src-main/core/session/session-log';
import type { LogFormat } from '../../../src-main/shared/log-file';
import { SCENARIOS, cuts, forms, maskedMessage, scenarioSteps, type Scenario } from './credential-scenarios';
import { T0, fixtureSession } from './log-fixture';

const version = '9.9.9';

interface Planned {
  dir: 'in' | 'out';
  payload: Buffer;
  masked: Buffer;
}

/** The message cut at `cut`, echoed, then the visible message both ways; each with exactly the secret's bytes '*'. */
function plan(scenario: Scenario, cut: number): Planned[] {
  const whole = maskedMessage(scenario);
  const parts = [
    { payload: scenario.message.subarray(0, cut), masked: whole.subarray(0, cut) },
    { payload: scenario.message.subarray(cut), masked: whole.subarray(cut) },
  ];
  const visible = { payload: scenario.visible, masked: scenario.visible };
  return (['out', 'in'] as const).flatMap((dir) => [...parts, visible].map((part) => ({ dir, ...part }))).sort((a, b) => (a.dir === b.dir ? 0 : a.dir === 'out' ? -1 : 1));
}

function sessionOf(scenario: Scenario, planned: readonly Planned[]): SessionLog {
  const frames = new FrameStore();
  planned.forEach((frame, i) => frames.push(frame.dir, scenario.opcode, frame.payload, undefined, T0 + 100 + i));
  return fixtureSession({ frames, steps: scenarioSteps(scenario), url: `wss://echo.example${scenario.path ?? '/ws'}` });
}

function frameLines(text: string, format: LogFormat): Record<string, unknown>[] {
  if (format === 'ndjson') return text.trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
  const har = JSON.parse(text) as { log: { entries: { _webSocketMessages: Record<string, unknown>[] }[] } };
  return har.log.entries[0]?._webSocketMessages ?? [];
}

interface Decoded {
  summary?: string;
  problem?: string;
}

function decodedOf(line: Record<string, unknown>): Decoded | undefined {
  const decoded = line.decoded ?? line._decoded;
  return typeof decoded === 'object' && decoded !== null ? (decoded as Decoded) : undefined;
}

/** The frame line without what decoding and masking add. */
function rawLine(line: Record<string, unknown>): Record<string, unknown> {
  const { redacted, _redacted, decoded, _decoded, ...rest } = line;
  void redacted;
  void _redacted;
  void decoded;
  void _decoded;
  return rest;
}

const CHOICES: (DecodeChoice | undefined)[] = [undefined, ...DECODE_CHOICES];

describe.each(SCENARIOS)('$name cut across two messages: exports decode the masked bytes', (scenario) => {
  it.each(cuts(scenario).map((cut) => [cut]))('cut at byte %i: no piece of the secret in NDJSON or HAR, whatever the decoding', async (cut) => {
    const planned = plan(scenario, cut);
    const session = sessionOf(scenario, planned);
    const secretForms = forms(scenario.secret);
    for (const format of ['ndjson', 'har'] as const) {
      for (const choice of CHOICES) {
        const { text } = await exportToText(session, { format, version, ...(choice ? { decoding: { choice } } : {}) });
        const leaked = secretForms.filter((form) => text.includes(form));
        expect(leaked, `${format}, decoding ${choice ?? 'not asked'}`).toEqual([]);

        const lines = frameLines(text, format);
        expect(lines.length).toBe(planned.length);
        lines.forEach((line, i) => {
          const stored = session.frames.entry(i + 1);
          const want = planned[i];
          if (!stored || !want) throw new Error('frame missing');
          const expected = { ...stored, payload: want.masked };
          expect(JSON.stringify(rawLine(line))).toBe(JSON.stringify(format === 'ndjson' ? ndjsonFrame(expected) : harMessage(expected)));
        });
        if (choice === 'auto' || choice === scenario.protocol) {
          // The message after the credential decodes with its words as they are (both directions).
          for (const i of [2, 5]) expect(JSON.stringify(decodedOf(lines[i] ?? {}))).toContain(scenario.word);
          // The import reads the masked frames and decodes them the same way.
          const imported = await importLog(text, { format });
          if (!imported.ok) throw new Error(imported.problems.items.map((p) => p.message).join('; '));
          const again = new ExportDecoding({ frames: imported.log.frames, url: imported.log.url, handshakeSteps: () => imported.log.steps }, { choice });
          const reread = lines.map((_, i) => again.at(i + 1));
          for (const i of [2, 5]) expect(reread[i]?.summary).toBe(decodedOf(lines[i] ?? {})?.summary);
          const rereadText = JSON.stringify(reread);
          expect(secretForms.filter((form) => rereadText.includes(form))).toEqual([]);
        }
      }
    }
  });
});
