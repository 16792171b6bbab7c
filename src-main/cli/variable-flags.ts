/**
 * `--env <name>` and `--var name=value` (repeatable): where a connection's `{{name}}`s come
 * from. The environment is one saved with the profiles (found by name, by id, then ignoring
 * case); the values given with --var win over it. With --profile and without (intercept: only
 * with --profile, for its way out). The engine fills them in (core/variables/), so an unknown
 * one is its error, reported before anything is sent.
 *
 * `--var name=@file` reads the value from a file (secret-file.ts), so a secret stays out of the
 * process list; `@@` starts a value that begins with a real `@`. A variable whose name looks like
 * a credential (the rule of credential headers, shared/secret-headers.ts) is a secret as a
 * credential -H header is: its value is never printed, and typed on the command line it is
 * noted for the warning (visible-secrets.ts).
 */
import { MAX_VARIABLE_VALUE_CHARS, variableNameSchema, type EnvironmentView } from '../shared/environments';
import { looksLikeCredentialHeader } from '../shared/secret-headers';
import { fileProblem, UsageError } from './usage-error';
import { PLAIN_ISSUE_WORDS } from '../shared/zod-words';
import { readSecretFile } from './secret-file';
import { carriesSecret, VISIBLE, type VisibleSecret } from './visible-secrets';

export interface VariableFlags {
  /** --env: the environment's name (or id) as typed. */
  environment?: string;
  /** --var values, in order (a later one for the same name wins). */
  values: { name: string; value: string }[];
}

/** Where the command collects what must never be printed, and the secrets typed on its command line. */
export interface SecretSink {
  secrets: string[];
  visible: VisibleSecret[];
}

/** `sink` gets the credential variables' values and the ones typed on the command line (a caller without one drops them). */
export function parseVariableFlags(environment: string | undefined, vars: readonly string[], command: 'connect' | 'intercept' = 'connect', sink: SecretSink = { secrets: [], visible: [] }): VariableFlags {
  if (environment !== undefined && environment.trim() === '') throw new UsageError('--env needs the name of a saved environment (Development, Staging …)', command);
  const values = new Map<string, string>();
  for (const text of vars) {
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UsageError(`--var "${text}": give it as name=value (a variable name, =, its value)`, command);
    const name = text.slice(0, equals);
    const checked = variableNameSchema.safeParse(name, PLAIN_ISSUE_WORDS);
    if (!checked.success) throw new UsageError(`--var "${name}": ${checked.error.issues[0]?.message ?? 'not a variable name'}`, command);
    const given = variableValue(name, text.slice(equals + 1), command);
    if (given.value.length > MAX_VARIABLE_VALUE_CHARS) throw new UsageError(`--var ${name}: a value is at most 65,536 characters (64 KiB)`, command);
    if (looksLikeCredentialHeader(name)) {
      if (given.value !== '') sink.secrets.push(given.value);
      if (!given.fromFile && carriesSecret(given.value)) sink.visible.push(VISIBLE.variable(name));
    }
    values.delete(name);
    values.set(name, given.value);
  }
  return { ...(environment !== undefined ? { environment } : {}), values: [...values].map(([name, value]) => ({ name, value })) };
}

/** `value` as typed, `@file` read (the final newline, LF or CRLF, not part of it), `@@…` as `@…`. */
function variableValue(name: string, raw: string, command: 'connect' | 'intercept'): { value: string; fromFile: boolean } {
  if (raw.startsWith('@@')) return { value: raw.slice(1), fromFile: false };
  if (!raw.startsWith('@')) return { value: raw, fromFile: false };
  const file = raw.slice(1);
  if (file === '') throw fileProblem(`--var ${name}=@ needs a file name after the @ (e.g. --var ${name}=@$HOME/.config/${name}), or @@ for a value that starts with @`, command);
  return { value: readSecretFile(`--var ${name}=`, file, command).replace(/\r?\n$/, ''), fromFile: true };
}

/** The command's `variables` field: absent when neither --env nor --var was given. */
export function variableFlagsField(environment: string | undefined, vars: readonly string[], sink: SecretSink): { variables?: VariableFlags } {
  return environment === undefined && vars.length === 0 ? {} : { variables: parseVariableFlags(environment, vars, 'connect', sink) };
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
