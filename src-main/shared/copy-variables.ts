/**
 * Copy as command with `{{variables}}`: the user chooses to keep them or to resolve them.
 * - keep: the command holds the `{{name}}`s as typed; `tunnelscope connect` gets `--env <name>`
 *   and fills them in itself (secret ones decrypted there); websocat and wscat would send the
 *   braces as typed, and a note says so.
 * - resolve: each `{{name}}` of the URL, header values, subprotocols and origin becomes the
 *   environment's value; a secret variable's value is never in the renderer, so it becomes a
 *   placeholder `<name>` with a note. Built-ins stay for tunnelscope (it fills them in at
 *   connect); for the other tools a note says they are not filled in.
 * Pure TypeScript (the renderer runs it), with the engine's parser (builtin-variables.ts).
 */
import { hasTemplate, parseTemplate } from './builtin-variables';
import type { ConnectionOptionsInput } from './model';

export type VariablesMode = 'keep' | 'resolve';

export interface CopyVariables {
  mode: VariablesMode;
  /** The tab's environment (absent: none chosen). */
  environment?: { name: string; variables: readonly { name: string; secret: boolean; value?: string }[] };
}

export interface PreparedVariables {
  options: ConnectionOptionsInput;
  /** Words to add to a tunnelscope command (`--env <name>`). */
  words: string[];
  notes: string[];
}

/** Whether the options hold any `{{…}}` (only then does the choice matter). */
export function optionsHaveVariables(options: ConnectionOptionsInput): boolean {
  return [options.url, ...(options.headers ?? []).map((h) => h.value), ...(options.subprotocols ?? []), options.origin ?? ''].some(hasTemplate);
}

export function prepareVariables(tool: 'tunnelscope' | 'websocat' | 'wscat', options: ConnectionOptionsInput, choice: CopyVariables, quote: (word: string) => string): PreparedVariables {
  if (!optionsHaveVariables(options)) return { options, words: [], notes: [] };
  const environment = choice.environment;
  if (choice.mode === 'keep') {
    if (tool === 'tunnelscope') {
      return environment
        ? { options, words: ['--env', quote(environment.name)], notes: [] }
        : { options, words: [], notes: ['the {{names}} are kept, but no environment is chosen: add --env <name> or --var name=value'] };
    }
    return { options, words: [], notes: [`${tool} does not fill in {{names}}: they are sent as typed (choose Resolve to fill them in)`] };
  }
  const values = new Map<string, string>();
  const secrets = new Set<string>();
  const usedSecrets = new Set<string>();
  const unknown = new Set<string>();
  for (const variable of environment?.variables ?? []) {
    if (variable.secret || variable.value === undefined) secrets.add(variable.name);
    else values.set(variable.name, variable.value);
  }
  let builtins = false;
  const fill = (text: string): string => {
    if (!hasTemplate(text)) return text;
    const parsed = parseTemplate(text);
    if (!parsed.ok) return text;
    return parsed.template.parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if ('builtin' in part) {
          builtins = true;
          return `{{$${part.builtin}}}`;
        }
        const value = values.get(part.variable);
        if (value !== undefined) return value;
        if (secrets.has(part.variable)) {
          usedSecrets.add(part.variable);
          return `<${part.variable}>`;
        }
        unknown.add(part.variable);
        return `{{${part.variable}}}`;
      })
      .join('');
  };
  const resolved: ConnectionOptionsInput = {
    ...options,
    url: fill(options.url),
    ...(options.headers ? { headers: options.headers.map((header) => ({ ...header, value: fill(header.value) })) } : {}),
    ...(options.subprotocols ? { subprotocols: options.subprotocols.map(fill) } : {}),
    ...(options.origin !== undefined ? { origin: fill(options.origin) } : {}),
  };
  const notes: string[] = [];
  for (const name of usedSecrets) notes.push(`the secret variable ${name} is left out: type its value where <${name}> stands`);
  if (unknown.size > 0) notes.push(`not defined${environment ? ` in "${environment.name}"` : ' (no environment is chosen)'}: ${[...unknown].map((n) => `{{${n}}}`).join(', ')}`);
  if (builtins && tool !== 'tunnelscope') notes.push(`${tool} does not fill in built-ins such as {{$timestamp}}: they are sent as typed`);
  return { options: resolved, words: [], notes };
}
