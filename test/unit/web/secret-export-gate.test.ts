/**
 * The web host's rule for exports with secrets, at the level of the command, with a real
 * engine and profile store: without the terminal's one-time code, with a wrong one, a reused
 * one or an expired one the export is refused (and nothing secret is answered); with the right
 * code it is allowed, once. Time is a fake clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { Clock } from '../../../src-main/core/net/clock';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import type { Result } from '../../../src-main/shared/result';
import { OneTimeCode } from '../../../src-main/web/one-time-code';
import { withSecretExportGate } from '../../../src-main/web/secret-export-gate';
import { SECRETS, fullProfileInput, makeTempDir, saveArg, valueOf } from '../profiles/profile-fixtures';

class FakeClock implements Clock {
  time = Date.UTC(2026, 0, 1);
  now = (): number => this.time;
  setTimeout = (): { unref(): void } => ({ unref: () => undefined });
  clearTimeout = (): void => undefined;
  setInterval = (): { unref(): void } => ({ unref: () => undefined });
  clearInterval = (): void => undefined;
}

let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
let clock: FakeClock;
let terminal: string[];
let gated: ReturnType<typeof withSecretExportGate>;

beforeEach(async () => {
  temp = makeTempDir('tunnelscope-gate-');
  engine = new Engine({ host: 'web', version: '1.0.0', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  valueOf(await engine.call('profiles:save', saveArg(fullProfileInput())));
  clock = new FakeClock();
  terminal = [];
  gated = withSecretExportGate(engine, { announce: (line) => terminal.push(line), clock });
});
afterEach(async () => {
  await engine.dispose();
  temp.cleanup();
});

/** The code in the last line printed to the terminal. */
function printedCode(): string {
  const match = /type this code in the page: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(terminal.at(-1) ?? '');
  if (!match?.[1]) throw new Error(`no code printed: ${terminal.join('\n')}`);
  return match[1];
}

function exportWith(confirmationCode?: string): Promise<Result<unknown>> {
  return gated.invoke('profiles:export', { includeSecrets: true, ...(confirmationCode !== undefined ? { confirmationCode } : {}) });
}

function expectRefused(result: Result<unknown>, words: string): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error).toMatchObject({ code: 'FORBIDDEN', path: 'confirmationCode' });
  expect(result.error.message).toContain(words);
  expect(JSON.stringify(result)).not.toContain(SECRETS.proxyPassword);
}

function exportedText(result: Result<unknown>): string {
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { text: string }).text;
}

describe('profiles:export with secrets through the web host', () => {
  it('without a code: refused, and a code is printed in the terminal (never in the answer)', async () => {
    const result = await exportWith();
    expectRefused(result, 'needs the one-time code just printed in the terminal');
    expect(terminal).toHaveLength(1);
    expect(terminal[0]).toContain('WITH SECRETS');
    expect(JSON.stringify(result)).not.toContain(printedCode());
  });

  it('with the right code: allowed once, and the secrets are in the export', async () => {
    await exportWith();
    const code = printedCode();
    const result = await exportWith(code);
    expect(exportedText(result)).toContain(SECRETS.proxyPassword);
    expectRefused(await exportWith(code), 'there is no code waiting (each one works once)');
  });

  it('takes the code however it is typed (lower case, no dash, spaces around)', async () => {
    await exportWith();
    expect(exportedText(await exportWith(` ${printedCode().replace('-', '').toLowerCase()} `))).toContain(SECRETS.headerToken);
  });

  it('with a wrong code: refused, saying how many tries are left; the right code still works after one slip', async () => {
    await exportWith();
    expectRefused(await exportWith('AAAA-AAAA'), 'is not the one printed in the terminal (4 more tries');
    expect(exportedText(await exportWith(printedCode()))).toContain(SECRETS.passphrase);
  });

  it('after five wrong codes the code no longer works, even the right one', async () => {
    await exportWith();
    const code = printedCode();
    for (let i = 0; i < 4; i++) await exportWith('AAAA-AAAA');
    expectRefused(await exportWith('AAAA-AAAA'), 'typed wrong too many times');
    expectRefused(await exportWith(code), 'there is no code waiting');
  });

  it('a code older than 5 minutes is refused (fake clock)', async () => {
    await exportWith();
    const code = printedCode();
    clock.time += 5 * 60_000 + 1;
    expectRefused(await exportWith(code), 'older than 5 minutes');
  });

  it('asking again replaces the earlier code', async () => {
    await exportWith();
    const first = printedCode();
    await exportWith();
    expectRefused(await exportWith(first), 'is not the one printed');
    expect(exportedText(await exportWith(printedCode()))).toContain(SECRETS.proxyPassword);
  });

  it('a code that is not text is refused in plain words', async () => {
    const result = await gated.invoke('profiles:export', { includeSecrets: true, confirmationCode: 1234 });
    expectRefused(result, 'confirmationCode must be text');
  });

  it('exports without secrets, and every other command, pass through untouched', async () => {
    const plain = await gated.invoke('profiles:export', {});
    expect(exportedText(plain)).not.toContain(SECRETS.proxyPassword);
    expect((await gated.invoke('profiles:list', {})).ok).toBe(true);
    expect(terminal).toEqual([]);
  });

  it('bad arguments still reach the engine and get its validation error', async () => {
    const result = await gated.invoke('profiles:export', { includeSecrets: 'yes' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(terminal).toEqual([]);
  });
});

describe('OneTimeCode', () => {
  it('draws codes from an alphabet without look-alike characters', () => {
    const code = new OneTimeCode({ random: (max) => max - 1 });
    expect(code.issue()).toBe('9999-9999');
    expect(new OneTimeCode({ random: () => 0 }).issue()).toBe('AAAA-AAAA');
  });

  it('has nothing to redeem before a code is issued', () => {
    expect(new OneTimeCode().redeem('ABCD-EFGH')).toBe('none');
  });

  it('compares guesses of any length without throwing', () => {
    const code = new OneTimeCode();
    code.issue();
    expect(code.redeem('')).toBe('wrong');
    expect(code.redeem('x'.repeat(1000))).toBe('wrong');
  });
});
