/** formatError prints details.causeMessage only when the message does not already say it. */
import { describe, expect, it } from 'vitest';
import { formatError, PLAIN } from '../../../src-main/cli/human-output';
import type { ErrorCode, NetError } from '../../../src-main/shared/errors';

function error(code: ErrorCode, message: string, causeMessage: string): NetError {
  return { kind: 'net', stage: 'resolve', code, message, hint: 'h', details: { causeMessage } };
}

describe('the cause of a failure', () => {
  it.each<[ErrorCode, string, string]>([
    ['PAC_FETCH_FAILED', 'The PAC file (/x.pac) could not be loaded: there is no such file.', "ENOENT: no such file or directory, open '/x.pac'"],
    ['SYSTEM_PROXY_FAILED', "The system's proxy settings could not be read.", 'gsettings exited with status 1'],
  ])('%s: a cause the message does not quote is printed', (code, message, cause) => {
    expect(formatError(error(code, message, cause), PLAIN)).toContain(`  (${cause})`);
  });

  it.each<[ErrorCode, string, string]>([
    ['PAC_INVALID', 'The PAC script (./syntax.pac) could not be compiled: Line 2: Unexpected end of input.', 'Line 2: Unexpected end of input'],
    ['PAC_EVALUATION_FAILED', 'The PAC script (x) failed: boom.', 'boom'],
    ['PAC_FETCH_FAILED', 'The PAC file (x) could not be loaded: it failed: EPIPE.', 'EPIPE'],
    ['SYSTEM_PROXY_FAILED', "The system's proxy settings could not be read: kreadconfig5 exited with status 2.", 'kreadconfig5 exited with status 2'],
  ])('%s: a cause the message quotes is not printed again', (code, message, cause) => {
    const text = formatError(error(code, message, cause), PLAIN).join('\n');
    expect(text.split(cause)).toHaveLength(2);
  });
});
