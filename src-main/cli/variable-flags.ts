/**
 * `--env <name>` and `--var name=value` (repeatable): where a connection's `{{name}}`s come
 * from. The environment is one saved with the profiles (found by name, by id, then ignoring
 * case); the values given with --var win over it. With --profile and without (intercept: only
 * with --profile, for its way out). The engine fills them in (core/variables/), so an unknown
 * one is its error, reported before anything is sent.
 */
import { MAX_VARIABLE_VALUE_CHARS, variableNameSchema, type EnvironmentView } from '../shared/environments';
import { UsageError } from './usage-error';
import { PLAIN_ISSUE_WORDS } from '../shared/zod-words';

export interface VariableFlags {
  /** --env: the environment's name (or id) as typed. */
  environment?: string;
  /** --var values, in order (a later one for the same name wins). */
  values: { name: string; value: string }[];
}

export function parseVariableFlags(environment: string | undefined, vars: readonly string[], command: 'connect' | 'intercept' = 'connect'): VariableFlags {
  if (environment !== undefined && environment.trim() === '') throw new UsageError('--env needs the name of a saved environment (Development, Staging …)', command);
  const values = new Map<string, string>();
  for (const text of vars) {
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UsageError(`--var "${text}": give it as name=value (a variable name, =, its value)`, command);
    const name = text.slice(0, equals);
    const value = text.slice(equals + 1);
    const checked = variableNameSchema.safeParse(name, PLAIN_ISSUE_WORDS);
    if (!checked.success) throw new UsageError(`--var "${name}": ${checked.error.issues[0]?.message ?? 'not a variable name'}`, command);
    if (value.length > MAX_VARIABLE_VALUE_CHARS) throw new UsageError(`--var ${name}: a value is at most 65,536 characters (64 KiB)`, command);
    values.delete(name);
    values.set(name, value);
  }
  return { ...(environment !== undefined ? { environment } : {}), values: [...values].map(([name, value]) => ({ name, value })) };
}

/** The command's `variables` field: absent when neither --env nor --var was given. */
export function variableFlagsField(environment: string | undefined, vars: readonly string[]): { variables?: VariableFlags } {
  return environment === undefined && vars.length === 0 ? {} : { variables: parseVariableFlags(environment, vars) };
}

export type FoundEnvironment = { ok: true; environment: EnvironmentView } | { ok: false; message: string };

/** The environment a user named with --env: by exact name, by id, then ignoring case. */
export function findEnvironment(environments: readonly EnvironmentView[], wanted: string): FoundEnvironment {
  const found =
    environments.find((e) => e.name === wanted) ??
    environments.find((e) => e.id === wanted) ??
    environments.find((e) => e.name.toLocaleLowerCase() === wanted.trim().toLocaleLowerCase());
  if (found) return { ok: true, environment: found };
  if (environments.length === 0) return { ok: false, message: `there is no environment named "${wanted}" (there are no saved environments yet)` };
  const names = environments.slice(0, 10).map((e) => `"${e.name}"`);
  const more = environments.length > 10 ? `, and ${environments.length - 10} more` : '';
  return { ok: false, message: `there is no environment named "${wanted}" (the environments are ${names.join(', ')}${more})` };
}
