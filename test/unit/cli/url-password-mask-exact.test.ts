/**
 * maskUrlPasswords (cli/scrub.ts) reads each line about once, and answers what the regular
 * expression it replaced answers: on 30,000 generated lines made of the characters that matter
 * (scheme characters, `:` `/` `@` `?` `#`, white space of both kinds), and on 200 KB lines. The
 * expression read a long run of letters and digits from each of its positions: a 200 KB frame
 * of them stalled `intercept --json` for minutes (cli-intercept-dispose hung in CI), so the long
 * lines here would not finish with it.
 */
import { describe, expect, it } from 'vitest';
import { maskUrlPasswords, URL_PASSWORD_MASK } from '../../../src-main/cli/scrub';

/** The expression the scan replaced: the reference for what is masked. */
function byExpression(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#]+@/gi, (_whole, head: string) => `${head}:${URL_PASSWORD_MASK}@`);
}

/** A small seeded generator, so a failure names a line that can be made again. */
function lines(seed: number, count: number): string[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pieces = ['a', 'Z', 'ws', 'http', '1', '9', '+', '.', '-', ':', '/', '//', '://', '@', '?', '#', ' ', '\t', '\u00a0', '\u2028', 'x', 'é', 'u:p@', ':ab@'];
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let line = '';
    const length = Math.floor(next() * 16);
    for (let i = 0; i < length; i++) line += pieces[Math.floor(next() * pieces.length)] ?? '';
    out.push(line);
  }
  return out;
}

describe('maskUrlPasswords', () => {
  it('masks what the regular expression masked, on 30,000 generated lines', () => {
    const differing = lines(7, 30_000).filter((line) => maskUrlPasswords(line) !== byExpression(line));
    expect(differing.slice(0, 5)).toEqual([]);
  });

  it('reads 200 KB lines of letters and digits, with and without URLs in them', () => {
    const run = 'ab12'.repeat(50_000);
    expect(maskUrlPasswords(run)).toBe(run);
    expect(maskUrlPasswords(`${run}://`)).toBe(`${run}://`);
    expect(maskUrlPasswords(`${run}://u:${run}`)).toBe(`${run}://u:${run}`);
    expect(maskUrlPasswords(`ws://u:pw@h/ ${run} wss://v:${run}@h/`)).toBe(`ws://u:${URL_PASSWORD_MASK}@h/ ${run} wss://v:${URL_PASSWORD_MASK}@h/`);
    const many = 'a://b'.repeat(40_000);
    expect(maskUrlPasswords(many)).toBe(many);
    const colons = 'a://:'.repeat(40_000);
    expect(maskUrlPasswords(colons)).toBe(byExpression(colons));
  });
});
