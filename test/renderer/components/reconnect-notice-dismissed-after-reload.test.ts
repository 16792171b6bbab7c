/**
 * A dismissed reconnect notice stays dismissed after the page reloads: session:list still carries
 * the session's last `resent` report (a reloaded page that did not dismiss it says it again), but
 * the page kept its dismissal (resent-dismissals.ts, sessionStorage). A later attempt's report
 * shows again; another session's is not touched; a removed session's dismissal goes; what
 * storage holds is checked (garbage ignored), and a storage that refuses changes nothing but
 * keeping it past the reload.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { MAX_DISMISSALS, readDismissals, writeDismissals } from '../../../src-renderer/src/stores/resent-dismissals';
import type { ResentReport } from '../../../src-main/shared/attempts';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import { droppedAttempt, reconnectNoticeTest } from './reconnect-notice-fixture';

const page = reconnectNoticeTest('on reload');

const dropped = droppedAttempt(1, 1000, true);
const report: ResentReport = { attempt: 2, sent: [{ seq: 5, label: 'STOMP CONNECT' }], notSent: ["STOMP SUBSCRIBE /nowhere/x: the server answered it with ERROR 'Unknown destination'"] };

function info(sessionId: string, extra: Partial<SessionInfo> = {}): SessionInfo {
  return { sessionId, url: `ws://h/${sessionId}`, state: 'open', createdAt: 0, framesStored: 7, framesDropped: 0, lastSeq: 7, attempts: [dropped], resent: report, ...extra };
}

/** A page (re)loaded: a fresh Pinia and bridge, nothing known but what session:list says; a tab for each listed session. */
async function pageWith(listed: SessionInfo[]): Promise<VueWrapper[]> {
  const fx = page.reload();
  fx.fake.answer('session:list', () => ({ ok: true, value: listed }));
  for (const s of listed) fx.sessions.ensureView(s.sessionId, s.url);
  await fx.sessions.resync();
  const mounted = listed.map((s) => page.mountNotice(fx.store.openSessionTab(s.sessionId, s.url).id));
  await flushPromises();
  return mounted;
}

const shown = (w: VueWrapper | undefined): boolean => w?.find('[data-testid="resent-notice"]').exists() ?? false;

describe('a dismissed reconnect notice after a reload', () => {
  it('stays dismissed for that session; the other session’s still shows', async () => {
    let [a, b] = await pageWith([info('s-a'), info('s-b')]);
    expect(shown(a) && shown(b)).toBe(true);
    await a?.get('button[aria-label="Dismiss what was sent again"]').trigger('click');
    expect(shown(a)).toBe(false);
    b?.unmount();

    [a, b] = await pageWith([info('s-a'), info('s-b')]);
    expect(shown(a)).toBe(false);
    expect(shown(b)).toBe(true);
    b?.unmount();
  });

  it('a later attempt’s report shows again after the reload', async () => {
    const [a] = await pageWith([info('s-a')]);
    await a?.get('button[aria-label="Dismiss what was sent again"]').trigger('click');
    const [again] = await pageWith([info('s-a', { resent: { ...report, attempt: 3 }, attempts: [dropped, { ...dropped, attempt: 2, next: { ...dropped.next!, attempt: 3 } }] })]);
    expect(again?.get('[data-testid="resent-notice"]').text()).toContain('Reconnected (attempt 3)');
  });

  it('a removed session’s dismissal goes with it', async () => {
    const [a] = await pageWith([info('s-a')]);
    await a?.get('button[aria-label="Dismiss what was sent again"]').trigger('click');
    expect(readDismissals(sessionStorage).get('s-a')).toBe(2);
    page.fx.fake.emit({ type: 'session-removed', sessionId: 's-a' });
    await flushPromises();
    expect(readDismissals(sessionStorage).has('s-a')).toBe(false);
  });

  it('what storage holds is checked entry by entry, and at most MAX_DISMISSALS are kept', () => {
    sessionStorage.setItem('tunnelscope.resentDismissed', JSON.stringify([['ok', 2], ['one', 1], [5, 2], ['x', 2.5], 'junk', ['three', 3, 1], ['', 2]]));
    expect([...readDismissals(sessionStorage)]).toEqual([['ok', 2]]);
    sessionStorage.setItem('tunnelscope.resentDismissed', '{not json');
    expect(readDismissals(sessionStorage).size).toBe(0);
    const many = new Map(Array.from({ length: MAX_DISMISSALS + 5 }, (_, i) => [`s-${i}`, 2] as const));
    writeDismissals(sessionStorage, many);
    const back = readDismissals(sessionStorage);
    expect(back.size).toBe(MAX_DISMISSALS);
    expect(back.has('s-0')).toBe(false);
    expect(back.has(`s-${MAX_DISMISSALS + 4}`)).toBe(true);
  });

  it('a storage that refuses (blocked, full) dismisses for this page only', () => {
    const refusing = {
      getItem: (): string | null => {
        throw new Error('blocked');
      },
      setItem: (): void => {
        throw new Error('full');
      },
    };
    expect(() => writeDismissals(refusing, new Map([['s', 2]]))).not.toThrow();
    expect(readDismissals(refusing).size).toBe(0);
  });
});
