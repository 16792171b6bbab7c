/**
 * The intercepting proxy's breakpoints as the app shows them (issue 13 §3): the rules (one list
 * for every intercepted connection, edited here and applied with `intercept:set-breakpoints`),
 * each captured session's queue (what is held, how many wait per direction; from the
 * `intercept-queue` events), the held messages' payloads for editing (`intercept:held`), and
 * the actions: forward (as it was or edited), drop, forward all, inject, close a side. The
 * engine checks every argument and names what is wrong; the problem is kept per session.
 */
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { HostEvent } from '../../../src-main/shared/events';
import type { BreakpointRule, HeldFrameBody, InterceptDirection, InterceptQueue, MessageKind, TypedPayload } from '../../../src-main/shared/intercept-control';
import { getBridge } from '../bridge/active-bridge';

/** A rule as the editor holds it: what it matches on is one of text, regex, JSONPath (or none). */
export interface RuleDraft {
  key: number;
  enabled: boolean;
  direction: InterceptDirection | 'both';
  kind: MessageKind | 'any';
  match: 'any' | 'text' | 'regex' | 'jsonPath';
  value: string;
  host: string;
}

/** A problem the engine named, with the field it concerns (`edit.value`, `rules.1.regex` …). */
export interface PanelProblem {
  message: string;
  field: string | null;
}

let nextKey = 1;

export function emptyRule(): RuleDraft {
  return { key: nextKey++, enabled: true, direction: 'both', kind: 'any', match: 'text', value: '', host: '' };
}

/** The editor's rows as the contract's rules (empty fields left out). */
export function rulesFromDrafts(drafts: readonly RuleDraft[]): BreakpointRule[] {
  return drafts.map((draft) => {
    const rule: BreakpointRule = {};
    if (!draft.enabled) rule.enabled = false;
    if (draft.direction !== 'both') rule.direction = draft.direction;
    if (draft.kind !== 'any') rule.kind = draft.kind;
    if (draft.match !== 'any' && draft.value !== '') rule[draft.match] = draft.value;
    if (draft.host.trim() !== '') rule.host = draft.host.trim();
    return rule;
  });
}

export function draftFromRule(rule: BreakpointRule): RuleDraft {
  const match = rule.jsonPath !== undefined ? 'jsonPath' : rule.regex !== undefined ? 'regex' : rule.text !== undefined ? 'text' : 'any';
  return {
    key: nextKey++,
    enabled: rule.enabled !== false,
    direction: rule.direction ?? 'both',
    kind: rule.kind ?? 'any',
    match,
    value: rule.jsonPath ?? rule.regex ?? rule.text ?? '',
    host: rule.host ?? '',
  };
}

function emptyQueue(sessionId: string): InterceptQueue {
  return { sessionId, held: [], waiting: { in: 0, out: 0 } };
}

export const useBreakpointsStore = defineStore('breakpoints', () => {
  /** The rules being edited (applied with `applyRules`). */
  const drafts = ref<RuleDraft[]>([]);
  /** The rules in force, as the engine last answered. */
  const applied = ref<BreakpointRule[]>([]);
  const rulesProblem = ref<PanelProblem | null>(null);
  const queues = reactive(new Map<string, InterceptQueue>());
  /** Held messages' payloads by id (fetched when a message is held). */
  const bodies = reactive(new Map<number, HeldFrameBody>());
  const problems = reactive(new Map<string, PanelProblem>());
  let unsubscribe: (() => void) | null = null;
  let loaded = false;

  /** Listens to the queue events and reads the rules in force (once; again after a reconnect). */
  async function start(): Promise<void> {
    if (!unsubscribe) unsubscribe = getBridge().onEvent(handleEvent);
    if (loaded) return;
    loaded = true;
    const rules = await getBridge()['intercept:breakpoints']({});
    if (!rules.ok) return;
    applied.value = rules.value.rules;
    drafts.value = rules.value.rules.map(draftFromRule);
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function handleEvent(event: HostEvent): void {
    if (event.type !== 'intercept-queue') return;
    queues.set(event.sessionId, { sessionId: event.sessionId, held: event.held, waiting: event.waiting });
    const heldIds = new Set(event.held.map((held) => held.id));
    for (const id of [...bodies.keys()]) if (bodies.get(id)?.sessionId === event.sessionId && !heldIds.has(id)) bodies.delete(id);
    if (event.held.some((held) => !bodies.has(held.id))) void loadHeld(event.sessionId);
  }

  async function loadHeld(sessionId: string): Promise<void> {
    const result = await getBridge()['intercept:held']({ sessionId });
    if (!result.ok) return;
    for (const body of result.value.frames) bodies.set(body.id, body);
    for (const queue of result.value.queues) queues.set(queue.sessionId, queue);
  }

  function queueOf(sessionId: string): InterceptQueue {
    return queues.get(sessionId) ?? emptyQueue(sessionId);
  }

  function addRule(): void {
    drafts.value.push(emptyRule());
  }

  function removeRule(key: number): void {
    drafts.value = drafts.value.filter((draft) => draft.key !== key);
  }

  async function applyRules(): Promise<boolean> {
    const result = await getBridge()['intercept:set-breakpoints']({ rules: rulesFromDrafts(drafts.value) });
    if (!result.ok) {
      rulesProblem.value = { message: result.error.message, field: 'path' in result.error && typeof result.error.path === 'string' ? result.error.path : null };
      return false;
    }
    rulesProblem.value = null;
    applied.value = result.value.rules;
    return true;
  }

  /** Whether the editor's rows differ from the rules in force. */
  function rulesChanged(): boolean {
    return JSON.stringify(rulesFromDrafts(drafts.value)) !== JSON.stringify(applied.value);
  }

  async function run(sessionId: string, call: () => Promise<{ ok: true } | { ok: false; error: { message: string; path?: string } }>): Promise<boolean> {
    const result = await call();
    if (!result.ok) {
      problems.set(sessionId, { message: result.error.message, field: result.error.path ?? null });
      return false;
    }
    problems.delete(sessionId);
    return true;
  }

  function forward(sessionId: string, id: number, edit?: TypedPayload): Promise<boolean> {
    return run(sessionId, () => getBridge()['intercept:forward']({ id, ...(edit ? { edit } : {}) }));
  }

  function drop(sessionId: string, id: number): Promise<boolean> {
    return run(sessionId, () => getBridge()['intercept:drop']({ id }));
  }

  function forwardAll(sessionId: string): Promise<boolean> {
    return run(sessionId, () => getBridge()['intercept:forward-all']({ sessionId }));
  }

  function inject(sessionId: string, direction: InterceptDirection, kind: MessageKind, payload: TypedPayload): Promise<boolean> {
    return run(sessionId, () => getBridge()['intercept:inject']({ sessionId, direction, kind, payload }));
  }

  function closeSide(sessionId: string, side: 'client' | 'server', code: number, reason: string): Promise<boolean> {
    return run(sessionId, () => getBridge()['intercept:close-side']({ sessionId, side, code, reason }));
  }

  function problemOf(sessionId: string): PanelProblem | null {
    return problems.get(sessionId) ?? null;
  }

  function clearProblem(sessionId: string): void {
    problems.delete(sessionId);
  }

  return {
    drafts,
    applied,
    rulesProblem,
    queues,
    bodies,
    start,
    stop,
    queueOf,
    addRule,
    removeRule,
    applyRules,
    rulesChanged,
    forward,
    drop,
    forwardAll,
    inject,
    closeSide,
    problemOf,
    clearProblem,
  };
});
