/**
 * Shared set-up for the Composer's component tests: fake timers and a fresh Pinia on a fake
 * bridge whose message:encode the engine's real encoder answers; the Composer mounted on a tab
 * whose session (s1) is open; and, for the tests that read the session's log, a log served by the
 * fake bridge (frames:page and frames:search from fake-frames.ts, frames:decode from the values
 * the test logs). A test file calls composerTest() once, at its top.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import { useTabsStore } from '../../../src-renderer/src/stores/tabs-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { commandSchemas } from '../../../src-main/shared/commands';
import type { ActiveDecodingView, DecodedFrame, DecodedJson } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import type { EncodedMessage, ProtocolMessage } from '../../../src-main/shared/protocol-message';
import type { Result } from '../../../src-main/shared/result';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { serveFrames } from '../stores/fake-frames';
import { batch, frame } from '../stores/frame-fixtures';

/** The session the fake bridge opens first: the mounted Composer's. */
export const SESSION = 's1';

/**
 * The engine's own encoder answers message:encode. Loaded by a path the renderer's type check
 * does not follow: the core is Node code, outside the renderer's program.
 */
const ENCODER = '../../../src-main/core/encode/encode-message';
const { encodeMessage } = (await import(/* @vite-ignore */ ENCODER)) as { encodeMessage: (message: ProtocolMessage) => Result<EncodedMessage> };

export interface ComposerTestOptions {
  /** How long settle() runs the timers by default. */
  settleMs: number;
  /**
   * With it, SESSION's log is served by the fake bridge, decoded by `active()` (read at each
   * answer: a test may switch protocols). Its search reads no decoded query: it finds every
   * frame, and the values tell.
   */
  active?: () => ActiveDecodingView;
}

/** A frame of the log: its direction and decoded value. */
export type LoggedFrame = [dir: 'in' | 'out', value: DecodedJson];

export interface ComposerTest {
  /** The fake bridge of the test under way. */
  readonly fake: FakeBridge;
  /** The seqs the Composer asked decoded in this test, in order (with `active`). */
  readonly decodedSeqs: number[];
  /** Frames that reach the log (and the renderer's feed), as the engine records them (with `active`). */
  log(list: LoggedFrame[]): void;
  /** log(), then settle(): the Composer has read them. */
  logged(...list: LoggedFrame[]): Promise<void>;
  /** What the Composer sent (session:send's arguments), in order. */
  sends(): unknown[];
  /** Runs the timers the Composer's reads and previews wait on, then the promises they free. */
  settle(ms?: number): Promise<void>;
  /** The Composer on a new tab whose session (SESSION) the engine says is open; unmounted after the test. */
  mountOpen(): Promise<VueWrapper>;
  /** The same with the Protocol format picked, settled. */
  mountProtocolFormat(): Promise<VueWrapper>;
}

/**
 * Call at the top of a test file: each test gets fake timers, a fresh Pinia and a fake bridge
 * (beforeEach); its Composer is unmounted and real timers come back after it (afterEach).
 */
export function composerTest(options: ComposerTestOptions): ComposerTest {
  let fake: FakeBridge | null = null;
  let log: DecodedLog | null = null;
  let mounted: VueWrapper | null = null;
  const current = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`no ${what}: composerTest's beforeEach has not run`);
    return value;
  };
  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    fake = createFakeBridge();
    setBridge(fake.bridge);
    fake.answer('message:encode', (arg) => encodeMessage(commandSchemas['message:encode'].arg.parse(arg).message));
    log = options.active ? serveDecodedLog(fake, options.active) : null;
  });
  afterEach(() => {
    mounted?.unmount();
    mounted = null;
    vi.useRealTimers();
  });
  const settle = async (ms = options.settleMs) => {
    await vi.advanceTimersByTimeAsync(ms);
    await flushPromises();
  };
  const mountOpen = async () => {
    const tabStore = useTabsStore();
    useSessionsStore().start();
    const tab = tabStore.newTab();
    tab.draft.url = 'ws://127.0.0.1:9/';
    await tabStore.connect(tab.id);
    current(fake, 'fake bridge').emit({ type: 'state', sessionId: SESSION, state: 'open', previous: 'upgrading', at: 1 });
    mounted = mount(Composer, { props: { tabId: tab.id }, attachTo: document.body });
    await flushPromises();
    return mounted;
  };
  return {
    get fake() {
      return current(fake, 'fake bridge');
    },
    get decodedSeqs() {
      return current(log, 'decoded log (composerTest without active)').decodedSeqs;
    },
    log: (list) => current(log, 'decoded log (composerTest without active)').log(list),
    logged: async (...list) => {
      current(log, 'decoded log (composerTest without active)').log(list);
      await settle();
    },
    sends: () => current(fake, 'fake bridge').calls.filter((c) => c.name === 'session:send').map((c) => c.arg),
    settle,
    mountOpen,
    mountProtocolFormat: async () => {
      const w = await mountOpen();
      await pickProtocolFormat(w);
      await settle();
      return w;
    },
  };
}

/** Clicks the Protocol format (the caller settles when it needs). */
export async function pickProtocolFormat(w: VueWrapper): Promise<void> {
  await button(w, 'Protocol').trigger('click');
}

/** The button showing `text`. */
export function button(w: VueWrapper, text: string) {
  const found = w.findAll('button').find((b) => b.text() === text);
  if (!found) throw new Error(`no button ${text}`);
  return found;
}

/** The control named `label`: by its aria-label, else by its <label>. */
export function byLabel(w: VueWrapper, label: string) {
  const found = w.find(`[aria-label="${label}"]`);
  if (found.exists()) return found;
  const forId = w.findAll('label').find((l) => l.text() === label)?.attributes('for');
  if (!forId) throw new Error(`no control labelled ${label}`);
  return w.get(`[id="${forId}"]`);
}

type DecodedLog = Pick<ComposerTest, 'decodedSeqs' | 'log'>;

/** SESSION's log on the fake bridge (see ComposerTestOptions.active). */
function serveDecodedLog(fake: FakeBridge, active: () => ActiveDecodingView): DecodedLog {
  const values = new Map<number, DecodedJson>();
  const decodedSeqs: number[] = [];
  const store = serveFrames(fake, SESSION, []);
  fake.answer('session:decoding', () => ({ ok: true, value: { choice: 'auto', active: active(), available: [] } }));
  fake.answer('frames:decode', (raw) => {
    const { seqs = [], values: withValues } = commandSchemas['frames:decode'].arg.parse(raw);
    decodedSeqs.push(...seqs);
    const frames: DecodedFrame[] = seqs.flatMap((seq) => {
      const value = values.get(seq);
      return value === undefined ? [] : [{ seq, kind: 'decoded' as const, protocol: active().protocol, summary: '', ...(withValues ? { value } : {}) }];
    });
    return { ok: true, value: { active: active(), frames } };
  });
  return {
    decodedSeqs,
    log(list) {
      const first = (store.frames.at(-1)?.seq ?? 0) + 1;
      const added: FrameSummary[] = list.map(([dir, value], i) => {
        values.set(first + i, value);
        return frame(first + i, { dir, preview: JSON.stringify(value) });
      });
      store.frames.push(...added);
      fake.emit(batch(SESSION, added));
      useSessionsStore().flushFrames();
    },
  };
}
