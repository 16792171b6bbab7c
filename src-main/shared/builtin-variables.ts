/**
 * The built-in variables a message body may use, substituted at send time (each send of a
 * repeat anew, so the messages differ): `{{$timestamp}}`, `{{$isoTimestamp}}`, `{{$uuid}}`,
 * `{{$randomInt}}`, `{{$counter}}`. The names and formats follow Postman's where it has them.
 * User variables (`{{name}}`, no `$`) are not handled here: they pass through untouched.
 * Shared: the engine substitutes, the renderer checks a body as it is typed.
 */

export const BUILTIN_NAMES = ['timestamp', 'isoTimestamp', 'uuid', 'randomInt', 'counter'] as const;
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

/** What each built-in becomes, in words (help text, tooltips, README). */
export const BUILTIN_DESCRIPTIONS: Record<BuiltinName, string> = {
  timestamp: 'Unix time in whole seconds, e.g. 1767225600',
  isoTimestamp: 'ISO 8601 time in UTC with milliseconds, e.g. 2026-01-01T00:00:00.000Z',
  uuid: 'a random UUID (version 4)',
  randomInt: 'a random whole number from 0 to 1000',
  counter: "the send's number within its repeat, from 1 (1 for a single send)",
};

/** Where the values come from: injectable so tests know what each send becomes. */
export interface BuiltinSources {
  /** Epoch milliseconds. */
  now(): number;
  /** In [0, 1). */
  random(): number;
  uuid(): string;
}

export const defaultBuiltinSources: BuiltinSources = {
  now: () => Date.now(),
  random: () => Math.random(),
  uuid: () => globalThis.crypto.randomUUID(),
};

/** A body cut at its built-ins: literal text and names, alternating as they occur. */
export interface BuiltinTemplate {
  readonly parts: readonly (string | { builtin: BuiltinName })[];
  /** Whether any built-in occurs (a body without one is sent as it is). */
  readonly dynamic: boolean;
}

export type ParsedTemplate = { ok: true; template: BuiltinTemplate } | { ok: false; error: string; name: string; index: number };

// `{{$name}}`, spaces allowed inside the braces as Postman allows them.
const PATTERN = /\{\{\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function isBuiltinName(name: string): name is BuiltinName {
  return (BUILTIN_NAMES as readonly string[]).includes(name);
}

/** The list the error names, `{{$timestamp}}, {{$isoTimestamp}}, …`. */
export const BUILTIN_LIST_TEXT = BUILTIN_NAMES.map((name) => `{{$${name}}}`).join(', ');

/**
 * Cuts a body at its built-ins. An unknown `{{$name}}` is an error naming it and where it
 * is (character offset from 1), so nothing is sent with a typo in it.
 */
export function parseBuiltins(body: string): ParsedTemplate {
  const parts: (string | { builtin: BuiltinName })[] = [];
  let last = 0;
  for (const match of body.matchAll(PATTERN)) {
    const name = match[1] ?? '';
    const index = match.index ?? 0;
    if (!isBuiltinName(name)) {
      return {
        ok: false,
        name,
        index,
        error: `unknown built-in {{$${name}}} at character ${index + 1}: the built-ins are ${BUILTIN_LIST_TEXT}`,
      };
    }
    if (index > last) parts.push(body.slice(last, index));
    parts.push({ builtin: name });
    last = index + match[0].length;
  }
  if (last < body.length) parts.push(body.slice(last));
  return { ok: true, template: { parts, dynamic: parts.some((part) => typeof part !== 'string') } };
}

function valueOf(name: BuiltinName, counter: number, sources: BuiltinSources): string {
  switch (name) {
    case 'timestamp':
      return String(Math.floor(sources.now() / 1000));
    case 'isoTimestamp':
      return new Date(sources.now()).toISOString();
    case 'uuid':
      return sources.uuid();
    case 'randomInt':
      return String(Math.floor(sources.random() * 1001));
    case 'counter':
      return String(counter);
  }
}

/** The body for one send: each built-in replaced by its value now (`counter` is the send's 1-based number). */
export function renderBuiltins(template: BuiltinTemplate, counter: number, sources: BuiltinSources = defaultBuiltinSources): string {
  let out = '';
  for (const part of template.parts) out += typeof part === 'string' ? part : valueOf(part.builtin, counter, sources);
  return out;
}

// ---------------------------------------------------------------------------------------
// Templates: built-ins and the user's variables (`{{name}}`) together
// ---------------------------------------------------------------------------------------

/** A variable's name: a letter or `_`, then letters, digits, `_`, `-` and `.` (`$` marks the built-ins). */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const MAX_VARIABLE_NAME_CHARS = 100;

export type TemplatePart = string | { builtin: BuiltinName } | { variable: string };

/** A text cut at its `{{…}}`s: literal text, built-ins and the user's variables, as they occur. */
export interface Template {
  readonly parts: readonly TemplatePart[];
  /** Whether any `{{…}}` occurs (a text without one is used as it is). */
  readonly dynamic: boolean;
  /** The user variables it names, each once, in order of first use. */
  readonly variables: readonly string[];
}

/** What is wrong with a template: in words, and where (0-based offset of its `{{`). */
export interface TemplateProblem {
  error: string;
  index: number;
  /** The name concerned, when there is one (an unknown built-in, a name that is not a name). */
  name?: string;
}

export type ParsedFullTemplate = { ok: true; template: Template } | ({ ok: false } & TemplateProblem);

/**
 * Cuts a text at every `{{…}}`. Unlike parseBuiltins, every `{{` counts: one that is never
 * closed, one inside another (variables do not nest), an empty `{{}}` or a name with other
 * characters is an error naming it and where it is, so a typo is never sent as typed.
 */
export function parseTemplate(text: string): ParsedFullTemplate {
  const parts: TemplatePart[] = [];
  const variables: string[] = [];
  let last = 0;
  let open = text.indexOf('{{');
  while (open >= 0) {
    const at = `at character ${open + 1}`;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, index: open, error: `{{ ${at} is not closed with }}` };
    const inner = text.slice(open + 2, close);
    const nested = inner.indexOf('{{');
    if (nested >= 0) return { ok: false, index: open, error: `{{ ${at} holds another {{ (at character ${open + 3 + nested}): variables do not nest` };
    const name = inner.trim();
    if (name === '') return { ok: false, index: open, error: `{{}} ${at} names no variable` };
    if (name.startsWith('$')) {
      const builtin = name.slice(1);
      if (!isBuiltinName(builtin)) {
        return { ok: false, index: open, name: builtin, error: `unknown built-in {{$${builtin}}} ${at}: the built-ins are ${BUILTIN_LIST_TEXT}` };
      }
      if (open > last) parts.push(text.slice(last, open));
      parts.push({ builtin });
    } else {
      if (!VARIABLE_NAME_PATTERN.test(name) || name.length > MAX_VARIABLE_NAME_CHARS) {
        return {
          ok: false,
          index: open,
          name,
          error: `{{${name}}} ${at} is not a variable name (a letter or _, then letters, digits, _, - and ., at most ${MAX_VARIABLE_NAME_CHARS})`,
        };
      }
      if (open > last) parts.push(text.slice(last, open));
      parts.push({ variable: name });
      if (!variables.includes(name)) variables.push(name);
    }
    last = close + 2;
    open = text.indexOf('{{', last);
  }
  if (last < text.length) parts.push(text.slice(last));
  return { ok: true, template: { parts, dynamic: parts.some((part) => typeof part !== 'string'), variables } };
}

/** Whether a text holds anything parseTemplate would replace or refuse (cheap: a `{{`). */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/**
 * The text with every part filled in: built-ins from `sources` (`counter` is the send's
 * 1-based number), variables from `values`. A variable missing from `values` is the caller's
 * bug (check `template.variables` first): it throws.
 */
export function renderTemplate(
  template: Template,
  values: ReadonlyMap<string, string>,
  counter = 1,
  sources: BuiltinSources = defaultBuiltinSources,
): string {
  let out = '';
  for (const part of template.parts) {
    if (typeof part === 'string') out += part;
    else if ('builtin' in part) out += valueOf(part.builtin, counter, sources);
    else {
      const value = values.get(part.variable);
      if (value === undefined) throw new Error(`renderTemplate: no value for {{${part.variable}}}`);
      out += value;
    }
  }
  return out;
}
