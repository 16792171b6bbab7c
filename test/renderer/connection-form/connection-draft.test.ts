import { describe, expect, it } from 'vitest';
import { connectionOptionsSchema } from '../../../src-main/shared/model';
import { draftProxySetting, draftToOptions, emptyDraft, proxySettingComplete, setDraftHistory } from '../../../src-renderer/src/connection-form/connection-draft';

describe('connection draft', () => {
  it('turns a full draft into options the contract accepts', () => {
    const draft = emptyDraft(' wss://echo.test/socket ');
    draft.proxyMode = 'manual';
    draft.proxyUrl = 'http://proxy.test:3128';
    draft.proxyUsername = 'alice';
    draft.proxyPassword = 'pw';
    draft.headers = [{ name: 'Authorization', value: 'Bearer x', secret: true }];
    draft.subprotocols = ['graphql-ws', ' v2 ', ''];
    draft.caFiles = ['/ca.pem', ' '];
    draft.proxyCaFiles = [' /proxy-ca.pem'];
    draft.insecure = true;
    const options = draftToOptions(draft);
    expect(options).toMatchObject({
      url: 'wss://echo.test/socket',
      proxy: { mode: 'manual', url: 'http://proxy.test:3128', username: 'alice', password: 'pw' },
      proxyCaFiles: ['/proxy-ca.pem'],
      subprotocols: ['graphql-ws', 'v2'],
      tls: { caFiles: ['/ca.pem'], insecure: true },
    });
    expect(connectionOptionsSchema.safeParse(options).success).toBe(true);
  });

  it('says nothing of the history at its defaults, and sends frames and MB (as bytes) once changed', () => {
    const draft = emptyDraft('wss://x.test/');
    expect(draft).toMatchObject({ historyFrames: 1_000_000, historyMegabytes: 512 });
    expect(draftToOptions(draft)).not.toHaveProperty('history');
    draft.historyFrames = 5000;
    expect(draftToOptions(draft).history).toEqual({ maxFrames: 5000, maxBytes: 512 * 1024 * 1024 });
    draft.historyMegabytes = 1.5;
    expect(draftToOptions(draft).history).toEqual({ maxFrames: 5000, maxBytes: 1.5 * 1024 * 1024 });
    // Out of range goes as typed: the contract's check names the bound.
    draft.historyFrames = 10;
    const checked = connectionOptionsSchema.safeParse(draftToOptions(draft));
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]).toMatchObject({ path: ['history', 'maxFrames'], message: 'keep at least 100 frames' });
    setDraftHistory(draft, undefined);
    expect(draftToOptions(draft)).not.toHaveProperty('history');
  });

  it('chooses the PAC source from pacKind, not from which field has text', () => {
    const draft = emptyDraft('wss://x.test/');
    draft.proxyMode = 'pac';
    draft.pacLocation = 'http://wpad.test/proxy.pac';
    draft.pacScript = 'function FindProxyForURL() { return "DIRECT"; }';
    expect(draftProxySetting(draft)).toEqual({ mode: 'pac', source: { kind: 'url', url: 'http://wpad.test/proxy.pac' } });
    draft.pacKind = 'script';
    expect(draftProxySetting(draft)).toMatchObject({ mode: 'pac', source: { kind: 'script' } });
    draft.pacKind = 'location';
    draft.pacLocation = '/etc/proxy.pac';
    expect(draftProxySetting(draft)).toEqual({ mode: 'pac', source: { kind: 'file', path: '/etc/proxy.pac' } });
  });

  it('knows when the proxy part is complete enough to preview', () => {
    const draft = emptyDraft('wss://x.test/');
    expect(proxySettingComplete(draft)).toBe(true);
    draft.proxyMode = 'manual';
    expect(proxySettingComplete(draft)).toBe(false);
    draft.proxyUrl = 'http://p:1';
    expect(proxySettingComplete(draft)).toBe(true);
    draft.proxyMode = 'pac';
    expect(proxySettingComplete(draft)).toBe(false);
    draft.pacKind = 'script';
    draft.pacScript = 'function FindProxyForURL() {}';
    expect(proxySettingComplete(draft)).toBe(true);
  });
});
