/**
 * `tunnelscope profiles list | show <name> | export [<name>…] [--out file] [--with-secrets] |
 * import <file> | status`, and the global `--data-dir <dir>`.
 */
import { parseArgs } from 'node:util';
import { PROFILES_HELP } from './help-text';
import { UsageError } from './usage-error';

const PROFILE_ACTIONS = ['list', 'show', 'export', 'import', 'status'] as const;
export type ProfileAction = (typeof PROFILE_ACTIONS)[number];

export interface ProfilesCommand {
  kind: 'profiles';
  action: ProfileAction;
  /** show: one name; export: the names to export (none: all). */
  names: string[];
  /** import: the file to read. */
  file?: string;
  /** export: write here instead of stdout. */
  out?: string;
  /** export: replace an existing --out file (never a link). */
  force: boolean;
  /** export: include secrets in clear (warned about first). */
  withSecrets: boolean;
  json: boolean;
  dataDir?: string;
}

const OPTIONS = {
  json: { type: 'boolean' },
  out: { type: 'string', short: 'o' },
  'with-secrets': { type: 'boolean' },
  force: { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each action takes (besides --data-dir and --help). */
const ALLOWED: Readonly<Record<ProfileAction, readonly string[]>> = {
  list: ['json'],
  show: ['json'],
  export: ['out', 'with-secrets', 'force'],
  import: [],
  status: ['json'],
};

export function parseProfiles(args: readonly string[]): { kind: 'help'; text: string } | ProfilesCommand {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h' || action === 'help') return { kind: 'help', text: PROFILES_HELP };
  if (!isAction(action)) {
    throw new UsageError(`unknown profiles command "${action}" (use ${PROFILE_ACTIONS.join(', ')})`, 'profiles');
  }
  const { values, positionals } = parseStrict(rest);
  if (values.help) return { kind: 'help', text: PROFILES_HELP };
  for (const name of Object.keys(values)) {
    if (name !== 'data-dir' && name !== 'help' && !ALLOWED[action].includes(name)) {
      throw new UsageError(`--${name} does not apply to profiles ${action}`, 'profiles');
    }
  }
  const command: ProfilesCommand = {
    kind: 'profiles',
    action,
    names: [],
    withSecrets: values['with-secrets'] === true,
    force: values.force === true,
    json: values.json === true,
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
  };
  switch (action) {
    case 'list':
    case 'status':
      if (positionals.length > 0) throw new UsageError(`profiles ${action} takes no names (got ${positionals.join(' ')})`, 'profiles');
      return command;
    case 'show':
      if (positionals.length !== 1) throw new UsageError('profiles show takes one profile name, e.g. tunnelscope profiles show "Staging gateway"', 'profiles');
      return { ...command, names: positionals };
    case 'export':
      if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out needs a file name', 'profiles');
      if (values.force === true && values.out === undefined) throw new UsageError('--force only applies with --out <file> (it replaces that file)', 'profiles');
      return { ...command, names: positionals, ...(values.out !== undefined ? { out: values.out } : {}) };
    case 'import':
      if (positionals.length !== 1) throw new UsageError('profiles import takes one file, e.g. tunnelscope profiles import profiles.json', 'profiles');
      return { ...command, file: positionals[0] ?? '' };
  }
}

/** Takes a leading `--data-dir <dir>` / `--data-dir=<dir>` off the command line. */
export function takeDataDir(argv: readonly string[]): { dataDir?: string; rest: readonly string[] } {
  const [first, second, ...rest] = argv;
  if (first === '--data-dir') {
    if (second === undefined || second.startsWith('-')) throw new UsageError('--data-dir needs a folder');
    return { dataDir: second, rest };
  }
  if (first?.startsWith('--data-dir=')) {
    const dataDir = first.slice('--data-dir='.length);
    if (dataDir === '') throw new UsageError('--data-dir needs a folder');
    return { dataDir, rest: argv.slice(1) };
  }
  return { rest: argv };
}

function isAction(value: string): value is ProfileAction {
  return (PROFILE_ACTIONS as readonly string[]).includes(value);
}

function parseStrict(args: readonly string[]): { values: { json?: boolean; out?: string; 'with-secrets'?: boolean; force?: boolean; 'data-dir'?: string; help?: boolean }; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    // Node's messages name the option ("Unknown option '--x'", "Option '--out <value>' argument missing").
    const message = error instanceof Error ? error.message.split('. ')[0] ?? error.message : String(error);
    throw new UsageError(message, 'profiles');
  }
}
