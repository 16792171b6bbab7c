// The web host's session flags (--client-grace, --closed-retention, --max-sessions,
// --max-sessions-per-client) and the page's client id on /api: what is accepted, and the
// messages for what is not.
import { describe, expect, it } from 'vitest';
import { parseWebHostArgs, USAGE } from '../../../src-main/web/args';
import { pageClientOf } from '../../../src-main/web/page-clients';

describe('web host session flags', () => {
  it('sets nothing when none is given (the engine keeps its defaults)', () => {
    expect(parseWebHostArgs([]).sessionLimits).toBeUndefined();
  });

  it.each([
    [['--client-grace', '0'], { clientGraceMs: 0 }],
    [['--client-grace=120'], { clientGraceMs: 120_000 }],
    [['--closed-retention', '30'], { closedRetentionMs: 30 * 60_000 }],
    [['--max-sessions', '5000', '--max-sessions-per-client', '250'], { maxSessions: 5000, maxSessionsPerClient: 250 }],
  ])('%j → %j', (argv, expected) => {
    expect(parseWebHostArgs(argv).sessionLimits).toEqual(expected);
  });

  it.each([
    [['--client-grace', '-1'], 'option'],
    [['--client-grace', 'soon'], '--client-grace must be a whole number of seconds from 0 to 86400, not "soon"'],
    [['--client-grace', '86401'], '--client-grace must be a whole number of seconds from 0 to 86400, not "86401"'],
    [['--closed-retention', '0'], '--closed-retention must be a whole number of minutes from 1 to 10080, not "0"'],
    [['--max-sessions', '1.5'], '--max-sessions must be a whole number of sessions from 1 to 100000, not "1.5"'],
    [['--max-sessions-per-client', ''], '--max-sessions-per-client must be a whole number of sessions from 1 to 100000, not ""'],
    [['--max-sessions', '100001'], '--max-sessions must be a whole number of sessions from 1 to 100000, not "100001"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseWebHostArgs(argv)).toThrow(message);
  });

  it('lists the flags in the usage text', () => {
    for (const flag of ['--client-grace <seconds>', '--closed-retention <minutes>', '--max-sessions <n>', '--max-sessions-per-client <n>']) {
      expect(USAGE).toContain(flag);
    }
  });
});

describe('pageClientOf', () => {
  it('takes the page’s id from the client parameter', () => {
    expect(pageClientOf(new URLSearchParams('client=Ab_-0123456789xyz'))).toEqual({ ok: true, clientId: 'Ab_-0123456789xyz' });
  });

  it('gives a connection without one an id of its own', () => {
    const first = pageClientOf(new URLSearchParams(''));
    const second = pageClientOf(new URLSearchParams('token=x'));
    expect(first.ok && second.ok && first.clientId !== second.clientId).toBe(true);
    expect(first.ok ? first.clientId : '').toMatch(/^anonymous-/);
  });

  it.each([
    ['client=short', 'The client parameter must be 16–64 letters, digits, "-" or "_" (the page keeps a random one in sessionStorage).'],
    [`client=${'a'.repeat(65)}`, 'The client parameter must be 16–64 letters, digits, "-" or "_" (the page keeps a random one in sessionStorage).'],
    ['client=0123456789abcdef%20x', 'The client parameter must be 16–64 letters, digits, "-" or "_" (the page keeps a random one in sessionStorage).'],
    ['client=0123456789abcdef&client=0123456789abcdeg', 'Give the client parameter once, not 2 times.'],
  ])('refuses %s', (query, reason) => {
    expect(pageClientOf(new URLSearchParams(query))).toEqual({ ok: false, status: 400, reason });
  });
});
