/**
 * Reads a HAR file's WebSocket entry: Chrome's `_webSocketMessages` (type send/receive, time
 * in epoch seconds, opcode, data: text for opcode 1, base64 otherwise), the upgrade request
 * and response, and Tunnelscope's own `_tunnelscope` section when the file came from us.
 * Problems are reported with the JSON path of their object (`log.entries[0]._webSocketMessages[3]`)
 * and the field in words. A message that cannot be read is left out (the notes say which and
 * why); a file that is not JSON, or whose WebSocket entry cannot be read, is refused.
 * Entries that are not WebSockets are ignored; of several WebSocket entries the first is
 * imported, and the notes say so. Chrome's `error` messages (not frames) are skipped.
 */
import { z } from 'zod';
import { netErrorSchema } from '../../shared/errors';
import { handshakeStepSchema, proxyDecisionSchema, type HandshakeStep, type HttpCapture, type Opcode } from '../../shared/model';
import { redactHeaders } from '../capture/redact';
import { FrameStore, type FrameStoreOptions } from '../session/frame-store';
import { redactClientHandshake, redactSteps } from './redact-log';
import { clientHandshakeSchema } from '../../shared/captured-from';
import { markFromLog } from './intercept-mark';
import { loggedMarkSchema } from '../../shared/intercept-control';
import { IMPORT_YIELD_EVERY, UNKNOWN_URL, yieldToLoop, type ImportedLog } from './imported-log';
import { ProblemList, joinPath, leftOutNotes } from './import-problems';
import { base64Break } from './base64-break';
import { breakPlace, jsonBreak } from './json-break';
import { HAR_ENTRY_FIELDS, HAR_FILE_FIELDS, HAR_MESSAGE_FIELDS } from './import-wording';
import { readLoggedDecode } from './logged-decode';
import { PLAIN_ISSUE_WORDS } from '../../shared/zod-words';
import { FrameNumbersBuilder } from '../../shared/frame-numbers';

const harHeaderSchema = z.object({ name: z.string(), value: z.string() });

const harMessageSchema = z.object({
  type: z.string(),
  time: z.number(),
  opcode: z.number().int(),
  data: z.string(),
  _intercept: loggedMarkSchema.optional(),
  /** Tunnelscope's: the frame's number where it is not the previous message's plus 1 (har-export.ts). */
  _seq: z.number().int().min(1).optional(),
});

const harEntrySchema = z.object({
  startedDateTime: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date and time'),
  request: z.object({
    url: z.string(),
    method: z.string().optional(),
    httpVersion: z.string().optional(),
    headers: z.array(harHeaderSchema).optional(),
  }),
  response: z
    .object({
      status: z.number().int(),
      statusText: z.string().optional(),
      httpVersion: z.string().optional(),
      headers: z.array(harHeaderSchema).optional(),
    })
    .optional(),
  timings: z.object({ wait: z.number().optional() }).optional(),
  _webSocketMessages: z.array(z.unknown()),
});

const harFileSchema = z.object({ log: z.object({ entries: z.array(z.unknown()) }) });

const tunnelscopeSectionSchema = z.object({
  proxy: proxyDecisionSchema.nullable().optional(),
  handshake: z.array(handshakeStepSchema).optional(),
  error: netErrorSchema.nullable().optional(),
  closed: z
    .object({
      code: z.number().int().nullable(),
      reason: z.string(),
      wasClean: z.boolean(),
      initiatedBy: z.enum(['client', 'server', 'none']),
      at: z.string(),
    })
    .nullable()
    .optional(),
});

const OPCODES: Record<number, Opcode> = { 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };

/** Why `data` is not base64 (its length, or the first bad character and its offset). */
function base64Problem(data: string): string | undefined {
  const broken = base64Break(data);
  if (broken !== undefined) return broken;
  if (data.length % 4 !== 0) return `it is ${data.length} characters long, and base64 comes in groups of 4`;
  return undefined;
}

export async function importHar(text: string, store: FrameStoreOptions, problems: ProblemList): Promise<ImportedLog | undefined> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // Refused whole: no streaming JSON reader is at hand to take the entries before the break,
    // so say exactly where it is (a HAR cut short breaks at its end).
    const broken = jsonBreak(text, error);
    const place = breakPlace(broken, true);
    problems.add(
      '',
      broken.endsEarly
        ? `the file ends${place} before its JSON does (${broken.reason}): it looks cut short`
        : `the file is not valid JSON: ${broken.reason}${place}`,
    );
    return undefined;
  }
  const file = harFileSchema.safeParse(document, { reportInput: true });
  if (!file.success) {
    problems.addZod('', file.error, HAR_FILE_FIELDS);
    return undefined;
  }
  const entries = file.data.log.entries;
  const webSocketIndexes = entries.flatMap((entry, index) =>
    typeof entry === 'object' && entry !== null && '_webSocketMessages' in entry ? [index] : [],
  );
  const index = webSocketIndexes[0];
  if (index === undefined) {
    problems.add('log.entries', 'the file has no WebSocket entry (an entry with _webSocketMessages, as Chrome writes for a WebSocket)');
    return undefined;
  }
  const prefix = `log.entries[${index}]`;
  const parsed = harEntrySchema.safeParse(entries[index], { reportInput: true });
  if (!parsed.success) {
    problems.addZod(prefix, parsed.error, HAR_ENTRY_FIELDS);
    return undefined;
  }
  const entry = parsed.data;
  const notes: string[] = [];
  if (webSocketIndexes.length > 1) {
    notes.push(`the file has ${webSocketIndexes.length} WebSocket entries; imported the first (${entry.request.url})`);
  }

  const frames = new FrameStore(store);
  // A message that cannot be read is left out, not the file (the file's and the entry's own
  // problems above refuse it: they say what the connection was).
  const leftOut = new ProblemList();
  let skippedErrors = 0;
  // The file's numbers (`_seq`, else the previous one's plus 1), until one repeats or goes back.
  let numbers: FrameNumbersBuilder | undefined = new FrameNumbersBuilder();
  let renumbered: string | undefined;
  let previousWhere = '';
  for (let i = 0; i < entry._webSocketMessages.length; i++) {
    if (i > 0 && i % IMPORT_YIELD_EVERY === 0) await yieldToLoop();
    const where = `${prefix}._webSocketMessages[${i}]`;
    const message = harMessageSchema.safeParse(entry._webSocketMessages[i], { reportInput: true });
    if (!message.success) {
      const messageProblems = new ProblemList();
      messageProblems.addZod(where, message.error, HAR_MESSAGE_FIELDS);
      leftOut.add(where, messageProblems.items.map((p) => p.message).join('; '));
      continue;
    }
    const { type, time, opcode: number, data } = message.data;
    if (type === 'error') {
      skippedErrors += 1;
      continue;
    }
    if (type !== 'send' && type !== 'receive') {
      leftOut.add(where, `the message's type must be "send" or "receive" (found "${type.slice(0, 40)}")`);
      continue;
    }
    const opcode = OPCODES[number];
    if (!opcode) {
      leftOut.add(where, `the message's opcode must be 1 (text), 2 (binary), 8 (close), 9 (ping) or 10 (pong) (found ${number})`);
      continue;
    }
    const notBase64 = opcode === 'text' ? undefined : base64Problem(data);
    if (notBase64 !== undefined) {
      leftOut.add(where, `the message's data must be base64 for opcode ${number} (as Chrome writes non-text frames): ${notBase64}`);
      continue;
    }
    const payload = opcode === 'text' ? Buffer.from(data, 'utf8') : Buffer.from(data, 'base64');
    const problem = numbers?.push(message.data._seq ?? numbers.last + 1);
    if (problem !== undefined) {
      numbers = undefined;
      renumbered = `${where}: the frame's number (_seq) ${problem} (${previousWhere})`;
    }
    previousWhere = where;
    const seq = frames.push(type === 'send' ? 'out' : 'in', opcode, payload, undefined, time * 1000);
    if (message.data._intercept) {
      const mark = markFromLog(message.data._intercept, opcode);
      frames.mark(seq, mark.mark, mark.original);
    }
  }
  if (frames.lastSeq === 0 && leftOut.count > 0) {
    // Not one whole message: nothing worth opening, so every problem is the answer.
    problems.absorb(leftOut);
    return undefined;
  }
  notes.push(...leftOutNotes(leftOut, 'message'));
  if (renumbered !== undefined) notes.push(`the frames are numbered 1 to ${frames.lastSeq} here, not as in the file: ${renumbered}`);
  if (skippedErrors > 0) notes.push(`${skippedErrors} "error" messages were skipped (they are not frames)`);
  if (frames.dropped > 0) notes.push(`${frames.dropped} older frames were dropped: the store keeps ${frames.maxFrames} frames and ${frames.maxBytes} bytes`);

  const startedAt = Date.parse(entry.startedDateTime);
  const log: ImportedLog = { format: 'har', url: entry.request.url || UNKNOWN_URL, createdAt: startedAt, frames, steps: [], notes, leftOut: leftOut.items };
  const frameNumbers = numbers?.finish();
  if (frameNumbers) log.numbers = frameNumbers;
  const raw: unknown = Reflect.get(entries[index] ?? {}, '_tunnelscope');
  const ours = raw === undefined ? undefined : tunnelscopeSectionSchema.safeParse(raw, PLAIN_ISSUE_WORDS);
  if (ours && !ours.success) {
    const issue = ours.error.issues[0];
    notes.push(`the _tunnelscope section was ignored (${joinPath(`${prefix}._tunnelscope`, issue?.path ?? [], 'json')}: ${issue?.message ?? 'invalid'})`);
  }
  // Read on its own: a Decode choice this version cannot use is a note, and the section still counts.
  const recorded = readLoggedDecode(typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'decode') : undefined, `${prefix}._tunnelscope.decode`);
  if (recorded.decode) log.decode = recorded.decode;
  notes.push(...recorded.notes);
  if (ours?.success) {
    const section = ours.data;
    log.steps = redactSteps(section.handshake ?? [], []);
    if (section.proxy) log.decision = section.proxy;
    if (section.error) log.error = section.error;
    if (section.closed) log.closed = { ...section.closed, at: Date.parse(section.closed.at) };
  } else {
    log.steps = upgradeStepFromHar(entry, startedAt);
  }
  const rawClient: unknown = Reflect.get(entries[index] ?? {}, '_clientHandshake');
  if (rawClient !== undefined) {
    const client = clientHandshakeSchema.safeParse(rawClient, PLAIN_ISSUE_WORDS);
    if (client.success) log.clientHandshake = redactClientHandshake(client.data, []);
    else {
      const issue = client.error.issues[0];
      notes.push(`the client's handshake was ignored (${joinPath(`${prefix}._clientHandshake`, issue?.path ?? [], 'json')}: ${issue?.message ?? 'invalid'})`);
    }
  }
  return log;
}

/** A foreign HAR: the upgrade's request and response become the one handshake step we know. */
function upgradeStepFromHar(entry: z.infer<typeof harEntrySchema>, startedAt: number): HandshakeStep[] {
  let target = '/';
  let peer: string | undefined;
  try {
    const url = new URL(entry.request.url);
    target = `${url.pathname}${url.search}`;
    peer = url.host;
  } catch {
    // keep "/"
  }
  const pairs = (headers: { name: string; value: string }[] | undefined): [string, string][] =>
    redactHeaders((headers ?? []).map((h): [string, string] => [h.name, h.value]));
  const request: HttpCapture = {
    startLine: `${entry.request.method ?? 'GET'} ${target} ${entry.request.httpVersion || 'HTTP/1.1'}`,
    headers: pairs(entry.request.headers),
  };
  const response = entry.response;
  const step: HandshakeStep = {
    leg: 'upgrade',
    startedAt,
    ms: Math.max(0, entry.timings?.wait ?? 0),
    ok: response?.status === 101,
    ...(peer !== undefined ? { peer } : {}),
    request,
  };
  if (response) {
    step.response = {
      startLine: `${response.httpVersion || 'HTTP/1.1'} ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      headers: pairs(response.headers),
    };
  }
  return [step];
}
