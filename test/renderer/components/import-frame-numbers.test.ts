/**
 * An imported filtered export (frames #12, #57, #300 of a session) keeps its numbers in the tab:
 * the log's # column and the detail pane show them, and Go to # takes them (a number the file
 * does not have says so and names the nearest). The store under it numbers the frames 1, 2, 3.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { expect, it } from 'vitest';
import FrameDetail from '../../../src-renderer/src/components/FrameDetail.vue';
import FrameLog from '../../../src-renderer/src/components/FrameLog.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useLogFilesStore } from '../../../src-renderer/src/stores/log-files-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { commandSchemas } from '../../../src-main/shared/commands';
import { serveFrames } from '../stores/fake-frames';
import { frame, frames } from '../stores/frame-fixtures';
import { summaryCell } from '../../../src-renderer/src/frame-view/decoded-summary';
import { useFrameLogFixture } from './frame-log-fixture';
import { settle } from './store-fixture';

const S = 'imp1';
const log = useFrameLogFixture();

/** Imports a file the engine read as three frames numbered, in the file, `numbers`. */
async function importNumbered(numbers: number[] | undefined): Promise<void> {
  useSessionsStore().start();
  serveFrames(log.fake, S, frames(1, 3));
  log.fake.answer('frames:import', (raw) => {
    const arg = commandSchemas['frames:import'].arg.parse(raw);
    log.fake.emit({ type: 'session-created', sessionId: S, url: 'wss://echo.test/feed', at: 1, readOnly: true, name: arg.name });
    log.fake.emit({ type: 'state', sessionId: S, state: 'closed', previous: 'idle', at: 1 });
    log.fake.emit({ type: 'frames-skipped', sessionId: S, fromSeq: 1, toSeq: 3, behind: 0, dropped: 0 });
    return { ok: true, value: { sessionId: S, format: 'ndjson', frames: 3, notes: [], ...(numbers ? { numbers } : {}) } };
  });
  const id = await useLogFilesStore().importFile({ name: 'filtered.ndjson', text: () => Promise.resolve('{}') });
  expect(id).toBe(S);
  useSessionsStore().flushFrames();
  await settle();
}

async function mountLog(): Promise<VueWrapper> {
  const w = log.keep(mount(FrameLog, { props: { sessionId: S }, attachTo: document.body }));
  await settle();
  w.get('[data-frame-scroller]').element.dispatchEvent(new Event('scroll'));
  await settle();
  return w;
}

function numberColumn(w: VueWrapper): string[] {
  return w.findAll('[role="rowgroup"] [role="row"]:not(.placeholder) .c-seq').map((cell) => cell.text());
}

async function goTo(w: VueWrapper, text: string): Promise<void> {
  await w.get('input[aria-label="Go to #"]').setValue(text);
  await w.get('form.goto').trigger('submit');
  await settle();
}

function noticeOf(w: VueWrapper): string {
  const field = w.get('input[aria-label="Go to #"]');
  // The notice ends with its close button (✕).
  return (document.getElementById(field.attributes('aria-describedby') ?? 'missing')?.textContent ?? '').replace(/\s*✕$/, '');
}

it("shows the file's numbers in the # column and the detail pane, and Go to # finds #57", async () => {
  await importNumbered([12, 57, 300]);
  const w = await mountLog();
  expect(numberColumn(w)).toEqual(['12', '57', '300']);
  await goTo(w, '#57');
  const view = useFrameViewStore().viewOf(S);
  // The store's seq of the file's #57.
  expect(view.state.selectedSeq).toBe(2);
  expect(w.get('#frame-row-imp1-2').attributes('aria-selected')).toBe('true');
  const detail = log.keep(mount(FrameDetail, { props: { sessionId: S }, attachTo: document.body }));
  await settle();
  expect(detail.get('.head .seq').text()).toBe('#57');
  // The engine's answer (no payload held in this log.fake) names the frame by its number too.
  expect(detail.text()).toContain('The payload of frame #57 is no longer available');
});

it('Go to # a number the file does not have says so and names the nearest, keeping the selection', async () => {
  await importNumbered([12, 57, 300]);
  const w = await mountLog();
  const view = useFrameViewStore().viewOf(S);
  view.select(3);
  await goTo(w, '58');
  expect(view.state.selectedSeq).toBe(3);
  expect(noticeOf(w)).toBe('#58 is not in this file: the nearest are #57 and #300.');
  // The store's own seq 2 is not a number of the file: it is not taken as one.
  await goTo(w, '2');
  expect(view.state.selectedSeq).toBe(3);
  expect(noticeOf(w)).toBe('#2 is not in this file: the nearest is #12.');
  await goTo(w, '301');
  expect(noticeOf(w)).toBe('#301 is not in this file: the nearest is #300.');
  await goTo(w, '12');
  expect(view.state.selectedSeq).toBe(1);
});

it('a file numbered 1..n (no numbers answered) shows and takes the seqs as before', async () => {
  await importNumbered(undefined);
  const w = await mountLog();
  expect(numberColumn(w)).toEqual(['1', '2', '3']);
  await goTo(w, '2');
  expect(useFrameViewStore().viewOf(S).state.selectedSeq).toBe(2);
});

it('a page reloaded since the import asks the engine for the numbers and shows them', async () => {
  const sessions = useSessionsStore();
  sessions.start();
  serveFrames(log.fake, S, frames(1, 3));
  log.fake.answer('frames:numbers', () => ({ ok: true, value: { numbers: [12, 57, 300] } }));
  // What the page learns of an import it did not make: its events (or session:list), no import answer.
  log.fake.emit({ type: 'session-created', sessionId: S, url: 'wss://echo.test/feed', at: 1, readOnly: true, name: 'filtered.ndjson' });
  log.fake.emit({ type: 'state', sessionId: S, state: 'closed', previous: 'idle', at: 1 });
  log.fake.emit({ type: 'frames-skipped', sessionId: S, fromSeq: 1, toSeq: 3, behind: 0, dropped: 0 });
  sessions.flushFrames();
  const w = await mountLog();
  await settle();
  expect(numberColumn(w)).toEqual(['12', '57', '300']);
  expect(log.fake.calls.filter((c) => c.name === 'frames:numbers')).toHaveLength(1);
  await goTo(w, '300');
  expect(useFrameViewStore().viewOf(S).state.selectedSeq).toBe(3);
});

it("an answer's latency names its request by the file's number", async () => {
  await importNumbered([12, 57, 300]);
  const view = useFrameViewStore().viewOf(S);
  const answer = { seq: 3, kind: 'decoded' as const, protocol: 'socketio' as const, summary: 'ack 12 on /admin (1 arg)', conversation: { key: 'k', role: 'answer' as const, label: 'ack 12' }, answers: { seq: 2, latencyMs: 23 } };
  expect(summaryCell(frame(3), answer, view.numberOf).title).toBe('ack 12 on /admin (1 arg) — answer in ack 12, 23 ms after #57');
});
