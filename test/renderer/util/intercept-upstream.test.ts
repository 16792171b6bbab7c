import { describe, expect, it } from 'vitest';
import type { InterceptConnection } from '../../../src-main/shared/intercept-proxy';
import { upstreamCell } from '../../../src-renderer/src/util/intercept-upstream';

const base = { id: 'c1', at: 1, clientAddress: '127.0.0.1:5000', target: 'api.example:443' };
const viaProxy = { source: 'manual' as const, reason: 'set by hand', candidates: [{ url: 'http://proxy.corp:3128', protocol: 'http' as const, host: 'proxy.corp', port: 3128, hasCredentials: true }] };
const direct = { source: 'none' as const, reason: 'no proxy is used', candidates: [{ url: 'direct', protocol: 'direct' as const, host: '', port: 0, hasCredentials: false }] };

describe('upstreamCell (the Intercept row’s Upstream column)', () => {
  it('a passthrough tunnel shows the way out it took, as a captured WebSocket does', () => {
    const passthrough: InterceptConnection = { ...base, kind: 'passthrough', status: 200, decision: viaProxy };
    const captured: InterceptConnection = { ...base, kind: 'captured', sessionId: 's1', decision: viaProxy };
    expect(upstreamCell(passthrough)).toEqual({ text: 'via http://proxy.corp:3128 (with credentials)', title: 'manual setting: set by hand' });
    expect(upstreamCell(passthrough)).toEqual(upstreamCell(captured));
    expect(upstreamCell({ ...base, kind: 'passthrough', status: 200, decision: direct })).toEqual({ text: 'direct', title: 'no proxy: no proxy is used' });
  });

  it('a row without a decision says why there is none', () => {
    expect(upstreamCell({ ...base, kind: 'captured' })).toEqual({ text: '…', title: 'the way out is being decided' });
    expect(upstreamCell({ ...base, kind: 'passthrough', status: 502 })).toEqual({ text: '—', title: 'no way out was decided: the tunnel failed before' });
    expect(upstreamCell({ ...base, kind: 'client-tls', rejectedCertificate: true })).toEqual({ text: '—', title: 'nothing went upstream: the client was answered here' });
    expect(upstreamCell({ ...base, kind: 'refused', status: 502 }).text).toBe('—');
  });
});
