/**
 * The UI's side of the session transport limits: a Keep-alive row (on, every 30 s, for a new
 * connection or profile; a saved profile without one has it off), the contract's bound named
 * next to the row, and "the server is not reading (N MiB queued)" in the status bar while the
 * send queue is at its mark.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { connectionOptionsSchema, MIB } from '../../../src-main/shared/model';
import type { SessionStats } from '../../../src-main/shared/stats';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import StatusBar from '../../../src-renderer/src/components/StatusBar.vue';
import { draftToOptions, emptyDraft } from '../../../src-renderer/src/connection-form/connection-draft';
import { draftFingerprint, draftFromProfile, profileInputFromDraft } from '../../../src-renderer/src/connection-form/profile-draft';
import { editorDraftFromView, editorDraftToInput, emptyEditorDraft } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { draftSummary } from '../../../src-renderer/src/util/draft-summary';
import { problemField } from '../../../src-renderer/src/util/problem-field';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { connectedTab, createFixture, emitState, type Fixture } from './store-fixture';

const view = (extra: Record<string, unknown> = {}) =>
  profileViewSchema.parse({
    id: 'p1',
    revision: 1,
    createdAt: 1,
    updatedAt: 1,
    name: 'P',
    url: 'ws://127.0.0.1:9/',
    proxy: { mode: 'none', password: { set: false } },
    tls: { passphrase: { set: false } },
    handshakeTimeoutMs: 10_000,
    ...extra,
  });

describe('the Keep-alive setting', () => {
  it('is on, every 30 s with a 10 s pong deadline, for a new connection', () => {
    const options = connectionOptionsSchema.parse(draftToOptions(emptyDraft('ws://127.0.0.1:9/')));
    expect(options.keepalive).toEqual({ intervalMs: 30_000, pongTimeoutMs: 10_000 });
    expect(draftSummary(emptyDraft()).map((p) => p.text).join(' ')).not.toContain('Keep-alive');
  });

  it('off sends none, and the summary says so', () => {
    const draft = emptyDraft('ws://127.0.0.1:9/');
    draft.keepaliveOn = false;
    expect(draftToOptions(draft).keepalive).toBeUndefined();
    expect(draftSummary(draft).at(-1)?.text).toBe('Keep-alive off');
    draft.keepaliveOn = true;
    draft.keepaliveSeconds = 5;
    expect(draftSummary(draft).at(-1)?.text).toBe('Keep-alive 5 s');
  });

  it('an out-of-range value reaches the contract, whose message is shown by the Keep-alive row', () => {
    const draft = emptyDraft('ws://127.0.0.1:9/');
    draft.keepaliveSeconds = 0.5;
    const checked = connectionOptionsSchema.safeParse(draftToOptions(draft));
    expect(checked.success).toBe(false);
    const issue = checked.error?.issues[0];
    expect(issue?.path.join('.')).toBe('keepalive.intervalMs');
    expect(problemField({ command: 'session:open', message: issue?.message ?? '', path: `options.${issue?.path.join('.')}` })).toBe('keepalive');
  });

  it('a tab from a profile has the profile keep-alive; a profile without one has it off', () => {
    const withKeepalive = draftFromProfile(view({ keepalive: { intervalMs: 15_000, pongTimeoutMs: 5_000 } }));
    expect(draftToOptions(withKeepalive).keepalive).toEqual({ intervalMs: 15_000, pongTimeoutMs: 5_000 });
    const without = draftFromProfile(view());
    expect(without.keepaliveOn).toBe(false);
    expect(profileInputFromDraft(without, view(), 'P').keepalive).toBeUndefined();
    // Turning it on is a change of the profile.
    const changed = draftFromProfile(view());
    changed.keepaliveOn = true;
    expect(draftFingerprint(changed)).not.toBe(draftFingerprint(without));
    expect(profileInputFromDraft(changed, view(), 'P').keepalive).toEqual({ intervalMs: 30_000, pongTimeoutMs: 10_000 });
  });

  it('the profile editor: on for a new profile, off for a saved one without it', () => {
    expect(editorDraftToInput(emptyEditorDraft()).keepalive).toEqual({ intervalMs: 30_000, pongTimeoutMs: 10_000 });
    expect(editorDraftToInput(editorDraftFromView(view())).keepalive).toBeUndefined();
    const saved = editorDraftFromView(view({ keepalive: { intervalMs: 60_000, pongTimeoutMs: 20_000 } }));
    expect([saved.form.keepaliveOn, saved.form.keepaliveSeconds, saved.form.pongTimeoutSeconds]).toEqual([true, 60, 20]);
    expect(editorDraftToInput(saved).keepalive).toEqual({ intervalMs: 60_000, pongTimeoutMs: 20_000 });
  });
});

function statsWithQueue(queuedBytes: number): SessionStats {
  const dir = { messages: 0, bytes: 0 };
  const rate = { messagesPerSecond: 0, bytesPerSecond: 0 };
  return {
    at: 10,
    totals: { in: dir, out: dir },
    window: { startAt: 0, seconds: 1, in: { messages: [0], bytes: [0] }, out: { messages: [0], bytes: [0] } },
    rate: { in: rate, out: rate },
    rtt: { lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 },
    queued: { messages: 17, bytes: queuedBytes, highWaterMark: 16 * MIB },
  };
}

describe('the status bar while the server is not reading', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = createFixture();
  });

  it('says so while the queue is at its mark, and stops saying it once it drains', async () => {
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'open');
    const w = mount(StatusBar, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] } });
    fx.fake.emit({ type: 'stats', sessionId: tab.sessionId, stats: statsWithQueue(MIB) });
    await flushPromises();
    expect(w.text()).not.toContain('not reading');
    fx.fake.emit({ type: 'stats', sessionId: tab.sessionId, stats: statsWithQueue(17 * MIB) });
    await flushPromises();
    expect(w.get('.not-reading').text()).toBe('⚠ the server is not reading (17.0 MiB queued)');
    fx.fake.emit({ type: 'stats', sessionId: tab.sessionId, stats: statsWithQueue(0) });
    await flushPromises();
    expect(w.find('.not-reading').exists()).toBe(false);
    w.unmount();
  });
});

describe('the Keep-alive row of the connection form', () => {
  it('is on by default; off disables its numbers and connects without a keep-alive', async () => {
    const fx = createFixture();
    const tab = fx.store.newTab();
    tab.draft.url = 'ws://127.0.0.1:9/';
    const w = mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    const label = w.findAll('label').find((l) => l.text().trim() === 'Keep-alive');
    const box = w.get<HTMLInputElement>(`[id="${label?.attributes('for') ?? ''}"]`);
    const interval = w.get<HTMLInputElement>('input[aria-label="Keep-alive interval, seconds"]');
    expect(box.element.checked).toBe(true);
    expect(interval.element.value).toBe('30');
    expect(interval.element.disabled).toBe(false);
    await box.setValue(false);
    expect(interval.element.disabled).toBe(true);
    expect(tab.draft.keepaliveOn).toBe(false);
    await fx.store.connect(tab.id);
    const open = fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg as { options?: { keepalive?: unknown } } | undefined;
    expect(open?.options).toBeDefined();
    expect(open?.options?.keepalive).toBeUndefined();
    w.unmount();
  });
});
