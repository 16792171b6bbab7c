import { describe, expect, it } from 'vitest';
import { connectionOptionsSchema } from '../../../src-main/shared/model';
import { draftProxySetting, draftToOptions, emptyDraft, proxySettingComplete } from '../../../src-renderer/src/stores/connection-draft';

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
