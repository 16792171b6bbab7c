/**
 * Secrets typed on the command line itself are readable by every user of the computer while
 * tunnelscope runs (`ps`, /proc/<pid>/cmdline). The parser notes each one it sees; the CLI
 * prints one warning on stderr naming them and the way to give each that nobody else can read.
 * It is printed with --json too: stderr is not the JSON stream, and a script is where such a
 * command line lives longest.
 */

export interface VisibleSecret {
  /** Which secret, as the user typed it: "the password in --proxy-user". */
  where: string;
  /** How to give it unseen: "TUNNELSCOPE_PROXY_USER=user:password or --proxy-user @file". */
  instead: string;
}

const PROXY_USER_WAYS = 'TUNNELSCOPE_PROXY_USER=user:password or --proxy-user @file (a file holding user:password)';

export const VISIBLE = {
  proxyUser: { where: 'the password in --proxy-user', instead: PROXY_USER_WAYS },
  proxyUrl: (flag: '--proxy' | '--upstream'): VisibleSecret => ({ where: `the password in ${flag}'s URL`, instead: `${flag} without user:password@, and ${PROXY_USER_WAYS}` }),
  pacUrl: { where: "the password in --pac's URL", instead: 'a PAC file saved locally (--pac <file>), or a saved profile' },
  url: { where: "the password in the URL's user:password@", instead: "-H @file with the server's Authorization header, or a saved profile" },
  header: (name: string): VisibleSecret => ({ where: `the ${name} header of -H`, instead: "-H @file (a file of 'Name: value' lines)" }),
  variable: (name: string): VisibleSecret => ({ where: `the value of --var ${name}`, instead: `--var ${name}=@file (a file holding the value)` }),
} as const;

/** A value made only of {{variables}} (and an auth scheme word such as Bearer) carries no secret itself. */
export function carriesSecret(value: string): boolean {
  const literal = value.replace(/\{\{[^}]*\}\}/g, '').trim();
  if (literal === value.trim()) return literal !== '';
  return literal.replace(/^[A-Za-z-]+$/, '') !== '';
}

/** The one stderr line, or undefined when nothing secret was typed. */
export function visibleSecretWarning(secrets: readonly VisibleSecret[]): string | undefined {
  if (secrets.length === 0) return undefined;
  const where = [...new Set(secrets.map((s) => s.where))];
  const instead = [...new Set(secrets.map((s) => s.instead))];
  const verb = where.length === 1 ? 'is' : 'are';
  return `tunnelscope: warning: ${where.join(', ')} ${verb} visible to other users of this computer in the process list (ps) while tunnelscope runs; give ${where.length === 1 ? 'it' : 'them'} instead as ${instead.join('; ')}`;
}
