/**
 * Copy as command and a header the user unticked "secret" on (`plainByChoice`): copied in
 * clear by every tool, while a credential-like name without that choice, or one marked secret,
 * stays a placeholder with its note.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_TOOLS, copyAsCommand, type CopyHeader } from '../../../src-main/shared/copy-as-command';

function copied(headers: CopyHeader[]) {
  return COMMAND_TOOLS.map((tool) => copyAsCommand(tool, { url: 'wss://echo.test/', proxy: { mode: 'none' }, headers }));
}

describe('Copy as command and plainByChoice', () => {
  it('copies a header unticked on purpose in clear, and masks the credential-like one beside it', () => {
    for (const result of copied([
      { name: 'Authorization', value: 'Bearer by-choice', plainByChoice: true },
      { name: 'X-Auth-Token', value: 'tok-hidden' },
    ])) {
      expect(result.text).toContain('Authorization: Bearer by-choice');
      expect(result.text).toContain('X-Auth-Token: <secret>');
      expect(result.text).not.toContain('tok-hidden');
      expect(result.secretsLeftOut.map((s) => s.what)).toEqual(['the value of the X-Auth-Token header']);
    }
  });

  it('a header marked secret stays masked whatever its choice says', () => {
    for (const result of copied([{ name: 'Cookie', value: 'sid=hidden', secret: true, plainByChoice: true }])) {
      expect(result.text).toContain('Cookie: <secret>');
      expect(result.text).not.toContain('sid=hidden');
    }
  });

  it('two headers of one name: one left secret keeps both masked (a name is one secret to fill in)', () => {
    for (const result of copied([
      { name: 'Cookie', value: 'a=shown', plainByChoice: true },
      { name: 'cookie', value: 'b=hidden' },
    ])) {
      expect(result.text).not.toContain('a=shown');
      expect(result.text).not.toContain('b=hidden');
    }
  });
});
