/**
 * A PAC script that cannot be used says which of its faults happened (it does not compile, has
 * no FindProxyForURL, or threw while it was loaded), and the CLI prints the cause once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { formatError, PLAIN } from '../../../src-main/cli/human-output';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { disposePacWorkers } from '../../../src-main/core/proxy/pac-script';
import { resolveProxy } from '../../../src-main/core/proxy/resolve';
import type { NetError } from '../../../src-main/shared/errors';

afterAll(async () => {
  await disposePacWorkers();
});

async function pacFailure(script: string): Promise<NetError> {
  try {
    await resolveProxy('wss://a.example/', { mode: 'pac', source: { kind: 'script', script } }, undefined, { env: {}, pacTimeoutMs: 60_000 });
  } catch (error) {
    if (error instanceof NetFailure) return error.netError;
    throw error;
  }
  throw new Error('expected the PAC script to fail');
}

describe('an invalid PAC script in words', () => {
  it.each<[string, string, string]>([
    ['a syntax error', 'function FindProxyForURL(url, host) {\n', 'The PAC script (inline script) could not be compiled: Line 2: Unexpected end of input.'],
    ['no FindProxyForURL', 'function findProxy() { return "DIRECT"; }', 'The PAC script (inline script) has no FindProxyForURL function: ReferenceError: FindProxyForURL is not defined.'],
    ['FindProxyForURL not a function', 'var FindProxyForURL = 3;', 'The PAC script (inline script) has no FindProxyForURL function: Expected a "function" named `FindProxyForURL` to be defined, but got "number".'],
    ['a throw at the top', 'throw new Error("boom"); function FindProxyForURL() {}', 'The PAC script (inline script) threw while it was loaded, before FindProxyForURL was called: boom.'],
  ])('%s', async (_name, script, message) => {
    const error = await pacFailure(script);
    expect(error.code).toBe('PAC_INVALID');
    expect(error.message).toBe(message);
  });

  it('the CLI prints the cause once when the message quotes it (PAC_INVALID, PAC_EVALUATION_FAILED)', async () => {
    for (const script of ['function FindProxyForURL(url, host) {\n', 'function FindProxyForURL(url, host) { throw new Error("boom"); }']) {
      const error = await pacFailure(script);
      const cause = error.details.causeMessage ?? '';
      expect(cause).not.toBe('');
      const text = formatError(error, PLAIN).join('\n');
      expect(text.split(cause)).toHaveLength(2);
    }
  });
});
