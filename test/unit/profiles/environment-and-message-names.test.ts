/**
 * Environment names and saved messages' names follow the profile names' character rule
 * (shared/name-characters.ts): a name given (a save, an import) may not hold control,
 * line-breaking or text-direction characters; one saved before the rule is still read and
 * shown, so it can be renamed. Before, both took any character, and a U+202E in an
 * environment's name reversed the picker's text after it.
 */
import { describe, expect, it } from 'vitest';
import { parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { readStoredDocument } from '../../../src-main/core/profiles/migrations';
import { environmentInputSchema, environmentViewSchema } from '../../../src-main/shared/environments';
import { profileInputSchema, profileViewSchema } from '../../../src-main/shared/profiles';
import { engineWithProfilesPerTest, errorOf, plainProfileInput } from './profile-fixtures';

const issuesOf = (parsed: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[][] =>
  parsed.success ? [] : (parsed.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]);

describe('environment names', () => {
  const profiles = engineWithProfilesPerTest();

  it('a save refuses a control or text-direction character, naming it and where', async () => {
    expect(issuesOf(environmentInputSchema.safeParse({ name: 'Stag\u202eing', variables: [] }))).toEqual([
      ['name', expect.stringMatching(/^a name may not hold U\+202E RIGHT-TO-LEFT OVERRIDE at position 5: /)],
    ]);
    const refused = errorOf(await profiles.engine.invoke('environments:save', { environment: { name: 'Prod\nuction', variables: [] } }));
    expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'environment.name' });
    expect(refused.message).toContain('U+000A LINE FEED at position 5');
    expect(environmentInputSchema.safeParse({ name: 'Staging — EU 🚀', variables: [] }).success).toBe(true);
  });

  it('an import names the environment and its field', () => {
    const file = JSON.stringify({ format: 'tunnelscope-profiles', version: 2, profiles: [], environments: [{ name: 'bad\u0007bell', variables: [] }] });
    const parsed = parseImportText(file);
    expect(parsed.ok ? [] : parsed.problems.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      expect.stringMatching(/^environments\[0\]\.name: a name may not hold U\+0007 \(a control character\) at position 4: /),
    ]);
  });

  it('one saved before the rule is still read and shown', () => {
    const stored = { id: 'e1', revision: 1, createdAt: 1, updatedAt: 1, name: 'old\u202ename', variables: [] };
    const read = readStoredDocument({ version: 2, revision: 1, profiles: [], environments: [stored] });
    expect(read.kind === 'ok' ? { names: read.doc.environments.map((environment) => environment.name), problems: read.problems } : read).toEqual({ names: ['old\u202ename'], problems: [] });
    expect(environmentViewSchema.safeParse({ ...stored }).success).toBe(true);
  });
});

describe("saved messages' names", () => {
  const withMessage = (name: string): ReturnType<typeof plainProfileInput> => ({ ...plainProfileInput('Chat'), savedMessages: [{ id: 'm1', name, kind: 'text', body: 'hi' }] });

  it('a save or an import refuses a control or text-direction character', () => {
    expect(issuesOf(profileInputSchema.safeParse(withMessage('ping\u2066')))).toEqual([
      ['savedMessages.0.name', expect.stringMatching(/^a name may not hold U\+2066 LEFT-TO-RIGHT ISOLATE at position 5: /)],
    ]);
    const file = JSON.stringify({ format: 'tunnelscope-profiles', version: 2, profiles: [{ name: 'Chat', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {}, savedMessages: [{ name: 'a\u0085b', kind: 'text', body: 'hi' }] }] });
    const parsed = parseImportText(file);
    expect(parsed.ok ? [] : parsed.problems.map((problem) => problem.path)).toEqual(['profiles[0].savedMessages[0].name']);
    expect(profileInputSchema.safeParse(withMessage('subscribe prices')).success).toBe(true);
  });

  it('one saved before the rule is still read and shown', () => {
    const stored = { id: 'p1', revision: 1, createdAt: 1, updatedAt: 1, name: 'Chat', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {}, handshakeTimeoutMs: 10_000, savedMessages: [{ id: 'm1', name: 'old\u202ename', kind: 'text', body: 'hi' }] };
    const read = readStoredDocument({ version: 2, revision: 1, profiles: [stored] });
    expect(read.kind === 'ok' ? { names: read.doc.profiles.flatMap((profile) => profile.savedMessages.map((message) => message.name)), problems: read.problems } : read).toEqual({
      names: ['old\u202ename'],
      problems: [],
    });
    expect(profileViewSchema.shape.savedMessages.safeParse(stored.savedMessages).success).toBe(true);
  });
});
