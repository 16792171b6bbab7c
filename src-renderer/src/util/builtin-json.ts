/**
 * A JSON message with built-ins: `{"n": {{$counter}}, "id": "{{$uuid}}"}` is not JSON as
 * typed, but is once the engine fills the built-ins in. So it is checked as it will be sent,
 * with sample values, and an unknown built-in is named first.
 */
import { parseBuiltins, renderBuiltins, type BuiltinSources } from '../../../src-main/shared/builtin-variables';
import { parseJson } from './json-text';

const SAMPLE: BuiltinSources = { now: () => 0, random: () => 0, uuid: () => '00000000-0000-4000-8000-000000000000' };

export type BuiltinJsonCheck = { ok: true; builtins: boolean } | { ok: false; error: string };

export function builtinsCheckedJson(text: string): BuiltinJsonCheck {
  const builtins = parseBuiltins(text);
  if (!builtins.ok) return { ok: false, error: `${builtins.error}.` };
  const dynamic = builtins.template.dynamic;
  const parsed = parseJson(dynamic ? renderBuiltins(builtins.template, 1, SAMPLE) : text);
  if (parsed.ok) return { ok: true, builtins: dynamic };
  const e = parsed.error;
  // With built-ins the position is in the filled-in text: say so rather than point at the wrong place.
  return dynamic
    ? { ok: false, error: `Invalid JSON once the built-ins are filled in: ${e.message}.` }
    : { ok: false, error: `Invalid JSON at line ${e.line}, column ${e.column}: ${e.message}.` };
}
