/**
 * The proxy credentials of connect, resolve and intercept, from one of three places, first
 * found wins:
 *   --proxy-user user:password   on the command line (visible in `ps`: warned about)
 *   --proxy-user @file           the file's one line, user:password (not visible)
 *   TUNNELSCOPE_PROXY_USER       the environment variable, user:password (not visible: a
 *                                process's environment is readable only by its own user)
 * The variable is ambient, so where credentials make no sense (no proxy, a profile's own way
 * out) it is left unused rather than refused; the flag there is a usage error.
 *
 * A proxy URL that names its user without a password (`--proxy http://alice@proxy:3128`, the
 * same for --upstream) takes the password from these places too, for that same user: another
 * user there is a usage error rather than a sign-in with no password.
 */
import { PROXY_USER_ENV } from '../shared/proxy-user-env';
import { fileReference, readOneLineSecretFile } from './secret-file';
import { fileProblem, UsageError, type HelpTopic } from './usage-error';

export { PROXY_USER_ENV };

export interface ProxyUser {
  username: string;
  password: string;
  /** Where it came from: only `flag` is visible to other users. */
  from: 'flag' | 'file' | 'env';
}

/** The credentials from --proxy-user (a value or @file), else from TUNNELSCOPE_PROXY_USER; undefined when neither is set. */
export function proxyUserFrom(flagValue: string | undefined, env: Readonly<Record<string, string | undefined>>, command: HelpTopic): ProxyUser | undefined {
  if (flagValue !== undefined) {
    const file = fileReference(flagValue);
    if (file === undefined) return { ...splitUserPass(flagValue, () => new UsageError('--proxy-user must be user:password (a user name, a colon, the password), or @file naming a file that holds that line', command)), from: 'flag' };
    const line = readOneLineSecretFile('--proxy-user', file, command);
    return { ...splitUserPass(line, () => fileProblem(`--proxy-user @${file}: the file must hold user:password (a user name, a colon, the password) on one line`, command)), from: 'file' };
  }
  const value = env[PROXY_USER_ENV];
  if (value === undefined || value === '') return undefined;
  return { ...splitUserPass(value, () => new UsageError(`${PROXY_USER_ENV} must be user:password (a user name, a colon, the password)`, command)), from: 'env' };
}

function splitUserPass(value: string, problem: () => UsageError): { username: string; password: string } {
  const colon = value.indexOf(':');
  if (colon <= 0) throw problem();
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

/** Where the credentials came from, as the user gave them. */
function sourceName(user: ProxyUser): string {
  return user.from === 'flag' ? '--proxy-user' : user.from === 'file' ? '--proxy-user @file' : PROXY_USER_ENV;
}

/**
 * The password for a proxy URL's user (`http://alice@proxy`): the found credentials' when they
 * are that user's; undefined when none were found (the URL's user then goes without one).
 */
export function passwordForUrlUser(urlUser: string, user: ProxyUser | undefined, flag: '--proxy' | '--upstream', command: HelpTopic): string | undefined {
  if (user === undefined) return undefined;
  if (user.username !== urlUser) {
    throw new UsageError(`${flag}'s URL names the user ${urlUser} and ${sourceName(user)} the user ${user.username}: name one user (drop the user from the URL, or give ${urlUser}'s password)`, command);
  }
  return user.password;
}
