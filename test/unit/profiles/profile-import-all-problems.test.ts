/**
 * An import reports every problem of the file in one pass: the schema's, and those of the
 * checks that used to run only on a profile that passed it (the proxy URL, URL credentials,
 * unique ids and variable names), on the parts of a wrong profile that are right.
 */
import { describe, expect, it } from 'vitest';
import { parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import type { TransferProblem } from '../../../src-main/shared/profiles';
import { MANY_PROBLEMS, MANY_PROBLEMS_FILE } from '../../renderer/components/profile-import-all-problems-file';

function problemsOf(file: unknown): TransferProblem[] {
  const parsed = parseImportText(JSON.stringify(file));
  if (parsed.ok) throw new Error('the import was accepted');
  return parsed.problems;
}

const placesOf = (problems: readonly TransferProblem[]): string[] => problems.map((problem) => problem.path).sort();

function profile(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {}, handshakeTimeoutMs: 10_000, ...fields };
}

const exportOf = (profiles: unknown[], more: Record<string, unknown> = {}): Record<string, unknown> => ({ format: 'tunnelscope-profiles', version: 2, profiles, ...more });

describe('an import with many problems', () => {
  it("QA's b1.json: a bad proxy URL is reported with the bad timeout and the bad keepalive, not after them", () => {
    const problems = problemsOf(
      exportOf([
        profile('b1', {
          proxy: { mode: 'manual', url: 'proxy.corp.:3128', username: 'alice', caFiles: [], password: 's3cret' },
          handshakeTimeoutMs: -1,
          keepalive: { intervalMs: 'x' },
        }),
      ]),
    );
    expect(problems).toEqual([
      { path: 'profiles[0].handshakeTimeoutMs', message: 'must be a whole number from 1 to 600000 (got -1)' },
      { path: 'profiles[0].keepalive.intervalMs', message: 'must be a number (got a string "x")' },
      { path: 'profiles[0].proxy.url', message: 'this proxy URL is not valid: a host name ending in a dot is not allowed (write "proxy.corp")' },
    ]);
  });

  it("the file of the import dialog's test gives exactly the problems that test shows", () => {
    expect(problemsOf(MANY_PROBLEMS_FILE)).toEqual(MANY_PROBLEMS);
  });

  it('every problem of every profile and environment, each once', () => {
    const problems = problemsOf(
      exportOf(
        [
          profile('bad proxy and timeout', { proxy: { mode: 'manual', url: 'proxy.corp.:3128' }, handshakeTimeoutMs: 'soon' }),
          // A password for URLs with no user name (server and PAC), beside a bad reconnect.
          profile('url credentials', {
            urlPassword: 'pw',
            proxy: { mode: 'pac', pac: { kind: 'url', url: 'http://wpad.corp/proxy.pac' }, pacPassword: 'pacpw' },
            reconnect: { enabled: 'yes' },
          }),
          profile('fine'),
          // The same header id twice (a check of the whole profile), beside a bad name and a bad TLS field.
          profile('bad\u202ename', {
            headers: [
              { id: 'h1', name: 'X-A', secret: false, value: 'a' },
              { id: 'h1', name: 'X-B', secret: false, value: 'b' },
            ],
            tls: { insecure: 'no' },
          }),
        ],
        {
          environments: [
            {
              name: '',
              variables: [
                { name: 'host', secret: false, value: 'a' },
                { name: 'host', secret: false, value: 'b' },
              ],
            },
          ],
        },
      ),
    );
    expect(placesOf(problems)).toEqual(
      [
        'environments[0].name',
        'environments[0].variables[1].name',
        'profiles[0].handshakeTimeoutMs',
        'profiles[0].proxy.url',
        'profiles[1].proxy.pacPassword',
        'profiles[1].reconnect.enabled',
        'profiles[1].urlPassword',
        'profiles[3].headers[1].id',
        'profiles[3].name',
        'profiles[3].tls.insecure',
      ].sort(),
    );
    expect(problems.find((problem) => problem.path === 'profiles[3].headers[1].id')?.message).toBe('this id is used twice in the profile');
    expect(problems.find((problem) => problem.path === 'environments[0].variables[1].name')?.message).toBe('the variable host is defined twice in this environment');
    expect(problems.find((problem) => problem.path === 'profiles[1].urlPassword')?.message).toMatch(/^a password is only sent with a user name/);
    expect(problems.find((problem) => problem.path === 'profiles[1].proxy.pacPassword')?.message).toMatch(/^a password is only sent with a user name/);
    expect(problems.find((problem) => problem.path === 'profiles[3].name')?.message).toMatch(/^a name may not hold U\+202E RIGHT-TO-LEFT OVERRIDE at position 4/);
  });

  it('a problem the schema and a later check both find is listed once', () => {
    // The header name is wrong (the schema says so), and the id check reads the headers again.
    const problems = problemsOf(exportOf([profile('one', { headers: [{ name: 'bad name', secret: false, value: 'a' }], handshakeTimeoutMs: -1 })]));
    expect(placesOf(problems)).toEqual(['profiles[0].handshakeTimeoutMs', 'profiles[0].headers[0].name']);
  });

  it('a bad environments list does not hide the problems of the profiles', () => {
    const problems = problemsOf(exportOf([profile('x', { handshakeTimeoutMs: -1 })], { environments: 'none' }));
    expect(placesOf(problems)).toEqual(['environments', 'profiles[0].handshakeTimeoutMs']);
  });

  it('a file that is no export still says only that', () => {
    const problems = problemsOf({ format: 'something-else', version: 2, profiles: [profile('x', { handshakeTimeoutMs: -1 })] });
    expect(placesOf(problems)).toEqual(['format']);
  });
});
