/**
 * A profile name may not hold control, line-breaking or text-direction characters (nor a lone
 * surrogate), on every path a name comes in: an import, a save (the editor's check too), a
 * rename, a duplicate's name. One already saved is still read, so it can be renamed.
 */
import { describe, expect, it } from 'vitest';
import { nameCharacterProblem } from '../../../src-main/shared/name-characters';
import { parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { readStoredDocument } from '../../../src-main/core/profiles/migrations';
import { profileInputSchema, profileViewSchema } from '../../../src-main/shared/profiles';
import { engineWithProfilesPerTest, errorOf, plainProfileInput, valueOf } from './profile-fixtures';

const REFUSED: [string, number, string][] = [
  // C0, DEL
  ['NULL', 0x00, 'U+0000 NULL'],
  ['a C0 control', 0x01, 'U+0001 (a control character)'],
  ['TAB', 0x09, 'U+0009 CHARACTER TABULATION'],
  ['LF', 0x0a, 'U+000A LINE FEED'],
  ['CR', 0x0d, 'U+000D CARRIAGE RETURN'],
  ['ESC', 0x1b, 'U+001B ESCAPE'],
  ['US', 0x1f, 'U+001F (a control character)'],
  ['DEL', 0x7f, 'U+007F DELETE'],
  // C1
  ['C1 start', 0x80, 'U+0080 (a C1 control character)'],
  ['NEL', 0x85, 'U+0085 NEXT LINE'],
  ['CSI', 0x9b, 'U+009B (a C1 control character)'],
  ['C1 end', 0x9f, 'U+009F (a C1 control character)'],
  // separators
  ['LS', 0x2028, 'U+2028 LINE SEPARATOR'],
  ['PS', 0x2029, 'U+2029 PARAGRAPH SEPARATOR'],
  // marks
  ['LRM', 0x200e, 'U+200E LEFT-TO-RIGHT MARK'],
  ['RLM', 0x200f, 'U+200F RIGHT-TO-LEFT MARK'],
  ['ALM', 0x061c, 'U+061C ARABIC LETTER MARK'],
  // embeddings and overrides
  ['LRE', 0x202a, 'U+202A LEFT-TO-RIGHT EMBEDDING'],
  ['RLE', 0x202b, 'U+202B RIGHT-TO-LEFT EMBEDDING'],
  ['PDF', 0x202c, 'U+202C POP DIRECTIONAL FORMATTING'],
  ['LRO', 0x202d, 'U+202D LEFT-TO-RIGHT OVERRIDE'],
  ['RLO', 0x202e, 'U+202E RIGHT-TO-LEFT OVERRIDE'],
  // isolates
  ['LRI', 0x2066, 'U+2066 LEFT-TO-RIGHT ISOLATE'],
  ['RLI', 0x2067, 'U+2067 RIGHT-TO-LEFT ISOLATE'],
  ['FSI', 0x2068, 'U+2068 FIRST STRONG ISOLATE'],
  ['PDI', 0x2069, 'U+2069 POP DIRECTIONAL ISOLATE'],
  // half a surrogate pair, alone (JSON's \ud800 and a structured clone both carry one)
  ['a lone high surrogate', 0xd800, 'U+D800 (half of a surrogate pair, alone: not a character)'],
  ['a lone low surrogate', 0xdfff, 'U+DFFF (half of a surrogate pair, alone: not a character)'],
];

describe('nameCharacterProblem', () => {
  it.each(REFUSED)('refuses %s and names it with its place', (_label, code, words) => {
    expect(nameCharacterProblem(`ab${String.fromCharCode(code)}c`)).toBe(
      `a name may not hold ${words} at position 3: control characters, line breaks and text-direction controls garble it where it is shown`,
    );
  });

  it('accepts names in any script, emoji (a surrogate pair is one character) and joiners', () => {
    for (const name of ['Staging gateway', 'Прод', 'שלום עולם', 'مرحبا', '本番 サーバー', 'Corp Squid é/"<b>x', '🚀 launch', '👩‍💻 dev', 'a\u00a0b']) {
      expect(nameCharacterProblem(name)).toBeUndefined();
    }
  });

  it("names the first and counts the others; a pair before it counts as one position (QA's name)", () => {
    expect(nameCharacterProblem('bad\u0000name\nnewline\u202etxt.exe')).toMatch(/^a name may not hold U\+0000 NULL at position 4 \(and 2 more such characters\): /);
    expect(nameCharacterProblem('🚀\u202e')).toMatch(/^a name may not hold U\+202E RIGHT-TO-LEFT OVERRIDE at position 2: /);
    expect(nameCharacterProblem('a\u202eb\u202c')).toMatch(/ at position 2 \(and 1 more such character\): /);
  });
});

describe('on every path a name comes in', () => {
  const profiles = engineWithProfilesPerTest();

  it("import: QA's b2.json is refused at profiles[0].name, a lone surrogate in a \\u escape too", () => {
    const file = (name: string): string => `{"format": "tunnelscope-profiles", "version": 2, "profiles": [{"name": ${name}, "url": "ws://127.0.0.1:9/", "proxy": {"mode": "none"}, "tls": {}}]}`;
    const b2 = parseImportText(file(JSON.stringify('bad\u0000name\nnewline\u202etxt.exe')));
    expect(b2.ok ? [] : b2.problems).toEqual([
      {
        path: 'profiles[0].name',
        message: 'a name may not hold U+0000 NULL at position 4 (and 2 more such characters): control characters, line breaks and text-direction controls garble it where it is shown',
      },
    ]);
    const lone = parseImportText(file('"half \\ud83d"'));
    expect(lone.ok ? [] : lone.problems.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      expect.stringMatching(/^profiles\[0\]\.name: a name may not hold U\+D83D \(half of a surrogate pair, alone: not a character\) at position 6: /),
    ]);
    expect(parseImportText(file('"fine \\ud83d\\ude80"')).ok).toBe(true);
  });

  it('save, rename and duplicate refuse it as INVALID_ARGUMENT at the name', async () => {
    const { engine } = profiles;
    const saved = errorOf(await engine.invoke('profiles:save', { profile: plainProfileInput('x\u2066y') }));
    expect(saved).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'profile.name' });
    expect(saved.message).toContain('U+2066 LEFT-TO-RIGHT ISOLATE at position 2');
    const view = valueOf(await engine.invoke('profiles:save', { profile: plainProfileInput('good') }));
    const id = profileViewSchema.parse(view).id;
    const renamed = errorOf(await engine.invoke('profiles:rename', { id, name: 'new\nline' }));
    expect(renamed).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'name' });
    expect(renamed.message).toContain('U+000A LINE FEED at position 4');
    const copied = errorOf(await engine.invoke('profiles:duplicate', { id, name: 'copy\u200f' }));
    expect(copied).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'name' });
    expect(copied.message).toContain('U+200F RIGHT-TO-LEFT MARK at position 5');
  });

  it("the editor's check (the contract's input schema) says it at the name field", () => {
    const parsed = profileInputSchema.safeParse(plainProfileInput('evil\u202etxt.exe'));
    expect(parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['name', expect.stringMatching(/^a name may not hold U\+202E RIGHT-TO-LEFT OVERRIDE at position 5: /)],
    ]);
  });

  it('a profile saved before the rule is still read (and shown), so it can be renamed', () => {
    const stored = { id: 'p1', revision: 1, createdAt: 1, updatedAt: 1, name: 'old\u202ename', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {}, handshakeTimeoutMs: 10_000 };
    const read = readStoredDocument({ version: 2, revision: 1, profiles: [stored] });
    expect(read.kind === 'ok' ? { names: read.doc.profiles.map((profile) => profile.name), problems: read.problems } : read).toEqual({ names: ['old\u202ename'], problems: [] });
    expect(profileViewSchema.shape.name.safeParse('old\u202ename').success).toBe(true);
  });
});
