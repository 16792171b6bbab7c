/**
 * What a path of names and indexes selects in a value JSON.parse made, as shared/decoded-query.ts
 * selectPath follows it there: a string met before the last step goes on into the JSON object or
 * array it holds (shared/json-text-value.ts jsonTextValue), else selects nothing. For the probes
 * that hold the parse, or a string of the value, instead of building the decoded value:
 * payload-probe.ts (an unwrapped payload's JSON), stomp-probe.ts (a body or a header value),
 * mqtt-probe.ts (a payload or a topic), socketio-probe.ts (a ping's text).
 *
 * Numbers: where the parse is the decoder's value copied by toJsonValue (`shown`), a number past
 * a double is shown as text (floatValue); inside JSON text the query reads JSON.parse's own
 * value, so 1e400 is Infinity there, a number (`$.body.n > 5` holds for `{"n":1e400}`).
 */
import type { QueryStep } from '../../shared/decoded-query';
import { isJsonSpace, jsonTextValue, opensJsonContainer } from '../../shared/json-text-value';
import { ABSENT, CONTAINER, floatValue, type Probed } from './value-probe';

/** A step the parse follows: a name or an index (`[*]` selects many: not probed). */
export type ParsedStep = Exclude<QueryStep, { kind: 'any' }>;

/**
 * What steps[from…] select in `value` (JSON.parse's, or a string of the decoded value): a scalar,
 * CONTAINER, or ABSENT. `shown`: the value is the one the decoder shows through toJsonValue
 * (numbers past a double as text); false for JSON text's own parse.
 */
export function followParsed(value: unknown, steps: readonly ParsedStep[], from = 0, shown = false): Probed {
  let current = value;
  let inText = !shown;
  for (let s = from; s < steps.length; s++) {
    const step = steps[s];
    if (step === undefined) break;
    if (typeof current === 'string') {
      const held = jsonTextValue(current);
      if (held === undefined) return ABSENT;
      current = held;
      inText = true;
    }
    if (step.kind === 'index') {
      if (!Array.isArray(current) || step.index >= current.length) return ABSENT;
      current = current[step.index] as unknown;
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, step.name)) return ABSENT;
      current = Reflect.get(current, step.name);
    }
  }
  if (typeof current === 'number') return inText ? current : floatValue(current);
  if (typeof current === 'string' || typeof current === 'boolean' || current === null) return current;
  return CONTAINER;
}

/**
 * What steps (at least one) select in the JSON text a string holds, as followParsed, but ABSENT
 * at once for a text without a backslash that lacks the last name: without escapes a key of the
 * text (and of JSON text inside it, which needs escaped quotes) is written as itself.
 */
export function followText(text: string, steps: readonly ParsedStep[]): Probed {
  let at = 0;
  while (at < text.length && isJsonSpace(text.charCodeAt(at))) at++;
  if (!opensJsonContainer(text.charCodeAt(at))) return ABSENT;
  for (let s = steps.length - 1; s >= 0; s--) {
    const step = steps[s];
    if (step?.kind !== 'key') continue;
    if (!text.includes(step.name) && !text.includes('\\')) return ABSENT;
    break;
  }
  return followParsed(text, steps);
}

/** The path's steps when none is `[*]`, else undefined. */
export function parsedSteps(path: readonly QueryStep[]): ParsedStep[] | undefined {
  const steps: ParsedStep[] = [];
  for (const step of path) {
    if (step.kind === 'any') return undefined;
    steps.push(step);
  }
  return steps;
}
