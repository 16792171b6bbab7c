/**
 * QA's b1.json with a name like b2.json's, and every problem the engine's import check finds in
 * it: the renderer's dialog test shows these, and test/unit/profiles/profile-import-all-problems
 * checks that parseImportText gives exactly these (so the dialog's list is the engine's).
 */
import type { TransferProblem } from '../../../src-main/shared/profiles';

export const MANY_PROBLEMS_FILE = {
  format: 'tunnelscope-profiles',
  version: 2,
  profiles: [
    { name: 'b1', url: 'ws://127.0.0.1:9/', proxy: { mode: 'manual', url: 'proxy.corp.:3128' }, tls: {}, handshakeTimeoutMs: -1, keepalive: { intervalMs: 'x' } },
    { name: 'evil\u202etxt.exe', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {} },
  ],
};

export const MANY_PROBLEMS: readonly TransferProblem[] = [
  { path: 'profiles[0].handshakeTimeoutMs', message: 'must be a whole number from 1 to 600000 (got -1)' },
  { path: 'profiles[0].keepalive.intervalMs', message: 'must be a number (got a string "x")' },
  { path: 'profiles[0].proxy.url', message: 'this proxy URL is not valid: a host name ending in a dot is not allowed (write "proxy.corp")' },
  {
    path: 'profiles[1].name',
    message: 'a name may not hold U+202E RIGHT-TO-LEFT OVERRIDE at position 5: control characters, line breaks and text-direction controls garble it where it is shown',
  },
];
