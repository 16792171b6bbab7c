import { describe, expect, it } from 'vitest';
import { COMMAND_TOOLS, copyAsCommand } from '../../../src-main/shared/copy-as-command';
import { emptyDraft, type ConnectionDraft } from '../../../src-renderer/src/connection-form/connection-draft';
import { copyCommandOptions, KEPT_SECRET_STAND_IN } from '../../../src-renderer/src/copy-command/copy-command-options';

/** A profile tab whose proxy password, key passphrase and secret header the profile keeps (the form has no value). */
function keptDraft(proxyMode: ConnectionDraft['proxyMode']): ConnectionDraft {
  const draft = emptyDraft('wss://echo.test/');
  draft.proxyMode = proxyMode;
  draft.proxyUrl = 'http://proxy.test:3128';
  draft.pacLocation = '/etc/p.pac';
  draft.proxyUsername = 'alice';
  draft.certFile = '/c.pem';
  draft.keyFile = '/k.pem';
  draft.headers = [{ name: 'X-Token', value: '', secret: true, kept: true }];
  draft.keptSecrets = { proxyPassword: true, passphrase: true };
  return draft;
}

describe('copyCommandOptions', () => {
  it.each(['manual', 'pac'] as const)('a kept proxy password and passphrase get placeholders and notes (%s proxy)', (mode) => {
    for (const tool of COMMAND_TOOLS) {
      const copied = copyAsCommand(tool, copyCommandOptions(keptDraft(mode)));
      expect(copied.secretsLeftOut.map((s) => s.what)).toEqual(['the proxy password', 'the value of the X-Token header', "the client key's passphrase"]);
      expect(copied.text).not.toContain(KEPT_SECRET_STAND_IN);
    }
    expect(copyAsCommand('tunnelscope', copyCommandOptions(keptDraft(mode))).command).toContain("'alice:<password>'");
  });

  it('a kept server or PAC URL password gets a placeholder where the URL has a user name', () => {
    const draft = emptyDraft('wss://bob@echo.test/');
    draft.proxyMode = 'pac';
    draft.pacLocation = 'http://carol@wpad.test/p.pac';
    draft.keptSecrets = { proxyPassword: false, passphrase: false, urlPassword: true, pacPassword: true };
    const copied = copyAsCommand('tunnelscope', copyCommandOptions(draft));
    expect(copied.secretsLeftOut.map((s) => s.what)).toEqual(['the password in the server URL', 'the password in the PAC URL']);
    expect(copied.command).toContain("'wss://bob:<url-password>@echo.test/'");
    expect(copied.command).toContain("'http://carol:<pac-password>@wpad.test/p.pac'");
    expect(copied.text).not.toContain('kept');
    // Without a user name in the URL the saved password is not sent: nothing to leave out.
    const anonymous = emptyDraft('wss://echo.test/');
    anonymous.keptSecrets = { proxyPassword: false, passphrase: false, urlPassword: true };
    expect(copyAsCommand('wscat', copyCommandOptions(anonymous)).secretsLeftOut).toEqual([]);
  });

  it('a typed value wins over the kept one, and a tab without kept secrets is left as it is', () => {
    const draft = keptDraft('manual');
    draft.proxyPassword = 'typed';
    const options = copyCommandOptions(draft);
    expect(options.proxy).toMatchObject({ password: 'typed' });
    const plain = emptyDraft('ws://h/');
    expect(copyCommandOptions(plain).tls?.passphrase).toBeUndefined();
    expect(copyAsCommand('wscat', copyCommandOptions(plain)).secretsLeftOut).toEqual([]);
  });
});
