/**
 * A log import's zod issues as sentences a person can act on: the field in plain words, what
 * is wrong and what was expected, e.g. `the frame's direction is missing (expected "in" or
 * "out")`. The place (`line 3`, `log.entries[0]._webSocketMessages[1]`) is said by the caller.
 * Parsed with `reportInput` so a wrong value can be quoted.
 */
import type { z } from 'zod';
import { base64Break } from './base64-break';

/** Field path (`closed.code`) → plain words (`the close code`), per kind of object. */
export type FieldNames = Readonly<Record<string, string>>;

export const NDJSON_FRAME_FIELDS: FieldNames = {
  seq: "the frame's number (seq)",
  dir: "the frame's direction",
  opcode: "the frame's type (opcode)",
  at: "the frame's time (at)",
  size: "the frame's size",
  text: "the frame's text",
  base64: "the frame's payload (base64)",
  closeCode: 'the close code',
  closeReason: 'the close reason',
  intercept: "the frame's intercept mark",
};

export const NDJSON_HEADER_FIELDS: FieldNames = {
  type: "the header's type",
  version: "the header's version",
  url: "the session's URL",
  name: "the session's name",
  createdAt: 'the time the session was created (createdAt)',
  exportedAt: 'the time of the export (exportedAt)',
  state: "the session's state",
  proxy: 'the proxy decision',
  handshake: 'the handshake',
  error: "the session's error",
  closed: 'the close details',
  'closed.code': 'the close code',
  'closed.reason': 'the close reason',
  'closed.wasClean': 'whether the close was clean (closed.wasClean)',
  'closed.initiatedBy': 'who closed the connection (closed.initiatedBy)',
  'closed.at': 'the time of the close (closed.at)',
  framesDropped: 'the number of dropped frames (framesDropped)',
  filter: "the export's filter",
};

export const HAR_FILE_FIELDS: FieldNames = {
  log: 'the "log" object',
  'log.entries': 'the list of entries (log.entries)',
};

export const HAR_ENTRY_FIELDS: FieldNames = {
  startedDateTime: "the entry's start time (startedDateTime)",
  request: 'the request',
  'request.url': "the request's URL",
  'request.method': "the request's method",
  'request.httpVersion': "the request's HTTP version",
  'request.headers': "the request's headers",
  response: 'the response',
  'response.status': "the response's status code",
  'response.statusText': "the response's status text",
  'response.httpVersion': "the response's HTTP version",
  'response.headers': "the response's headers",
  timings: "the entry's timings",
  'timings.wait': "the entry's wait time",
  _webSocketMessages: 'the list of WebSocket messages (_webSocketMessages)',
};

export const HAR_MESSAGE_FIELDS: FieldNames = {
  type: "the message's type",
  time: "the message's time",
  opcode: "the message's opcode",
  data: "the message's data",
  _intercept: "the message's intercept mark",
};

/** `['closed', 'code']` → `closed.code`; `['headers', 2, 'name']` → `headers[2].name`. */
function dotted(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out;
}

/** The field in words: its own name, else the nearest named parent's (`in the handshake`), else the path in quotes. */
function fieldWords(path: readonly PropertyKey[], names: FieldNames): string {
  const key = dotted(path);
  if (key === '') return 'the line';
  const own = names[key];
  if (own !== undefined) return own;
  for (let n = path.length - 1; n > 0; n--) {
    const parent = names[dotted(path.slice(0, n))];
    if (parent !== undefined) return `the field "${key}" in ${parent}`;
  }
  return `the field "${key}"`;
}

/** One issue as a sentence about the field. */
export function issueSentence(issue: z.core.$ZodIssue, names: FieldNames): string {
  const field = fieldWords(issue.path, names);
  const missing = !('input' in issue) || issue.input === undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.expected === 'int') return `${field} must be a whole number (found ${shown(issue.input)})`;
      if (missing) return `${field} is missing (expected ${article(issue.expected)})`;
      return `${field} must be ${article(issue.expected)} (found ${found(issue.input)})`;
    }
    case 'invalid_value': {
      const options = oneOf(issue.values);
      return missing ? `${field} is missing (expected ${options})` : `${field} must be ${options} (found ${shown(issue.input)})`;
    }
    case 'invalid_format':
      if (issue.format === 'regex' && /^must be base64\b/.test(issue.message) && typeof issue.input === 'string') {
        // The schema's pattern says only that it failed: say which character, and where.
        const broken = base64Break(issue.input);
        if (broken !== undefined) return `${field} must be base64: ${broken}`;
      }
      if (issue.format === 'datetime') return `${field} must be an ISO 8601 date and time, e.g. 2024-05-01T10:00:00.000Z (found ${shown(issue.input)})`;
      return /^must\b/.test(issue.message) ? `${field} ${issue.message}` : `${field} is not valid: ${issue.message}`;
    case 'too_small':
      return issue.origin === 'array' ? `${field} must have at least ${String(issue.minimum)} items` : `${field} must be at least ${String(issue.minimum)} (found ${shown(issue.input)})`;
    case 'too_big':
      return issue.origin === 'array' ? `${field} must have at most ${String(issue.maximum)} items` : `${field} must be at most ${String(issue.maximum)} (found ${shown(issue.input)})`;
    case 'unrecognized_keys':
      return `${field} has fields it should not have: ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      // Our own checks (refine, superRefine) already speak in sentences; say which field.
      return /^(must|is|needs)\b/.test(issue.message) ? `${field} ${issue.message}` : issue.message;
  }
}

function oneOf(values: readonly unknown[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1) ?? ''}`;
}

function article(type: string): string {
  if (type === 'array' || type === 'object' || type === 'integer') return `an ${type}`;
  if (type === 'undefined' || type === 'null') return type;
  return `a ${type}`;
}

/** What was there instead: `a string "1"`, `an object`, `null`. */
function found(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  return `${article(typeof value)} ${shown(value)}`;
}

/** A short rendering of the wrong value. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? `a list of ${value.length}` : 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
