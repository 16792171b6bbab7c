import { describe, expect, it } from 'vitest';
import type { ProxyDecision } from '../../../src-main/shared/model';
import { sessionTitle, type TitleInput } from '../../../src-renderer/src/util/tab-label';

const VIA_CORP: ProxyDecision = {
  source: 'manual',
  candidates: [{ url: 'http://proxy.corp:3128', protocol: 'http', host: 'proxy.corp', port: 3128, hasCredentials: true }],
  reason: 'set by hand',
};
const DIRECT: ProxyDecision = { source: 'none', candidates: [{ url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false }], reason: 'no proxy' };

function input(patch: Partial<TitleInput>): TitleInput {
  return { draftUrl: 'wss://echo.test/socket', profileName: null, session: null, previewDecision: null, reconnecting: false, ...patch };
}

describe('sessionTitle', () => {
  it('names a tab after its URL, and says when it goes through a proxy', () => {
    expect(sessionTitle(input({}))).toMatchObject({ name: 'echo.test/socket', via: null, label: 'echo.test/socket', state: { word: 'idle' } });
    expect(sessionTitle(input({ previewDecision: VIA_CORP }))).toMatchObject({ via: 'via proxy.corp', label: 'echo.test/socket via proxy.corp' });
    expect(sessionTitle(input({ previewDecision: DIRECT })).via).toBeNull();
  });

  it('follows the session: its URL, the proxy it took and its state', () => {
    const session = { url: 'wss://live.test/', state: 'open' as const, readOnly: false, name: null, decision: VIA_CORP };
    expect(sessionTitle(input({ session, previewDecision: DIRECT }))).toMatchObject({ label: 'live.test via proxy.corp', state: { word: 'open', icon: '●' } });
  });

  it('names a profile tab after its profile, and shows a wait to reconnect', () => {
    const session = { url: 'wss://live.test/', state: 'closed' as const, readOnly: false, name: null, decision: null };
    expect(sessionTitle(input({ profileName: 'Prices feed', session, reconnecting: true }))).toMatchObject({ label: 'Prices feed', state: { word: 'reconnecting…', icon: '↻' } });
  });

  it('names an imported log after its file, marked imported', () => {
    const session = { url: 'wss://old.test/', state: 'closed' as const, readOnly: true, name: 'capture.ndjson', decision: VIA_CORP };
    expect(sessionTitle(input({ session }))).toMatchObject({ label: 'capture.ndjson', via: null, state: { word: 'imported', icon: '▤' } });
  });
});
