/**
 * The CLI tests' FakeEngine cannot drift from the contract: everything it answers and emits
 * goes through test/support/contract-check.ts. These cases show that the check catches drift
 * (and what it says), and that a whole scripted session of the fake passes it.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/shared/events';
import { ContractDrift, checkedEvent, checkedResult, refusedArg } from '../../support/contract-check';
import { FakeEngine } from './fake-engine';

describe('the contract check of a fake engine', () => {
  it('lets a result of the right shape through unchanged', () => {
    const result = { ok: true as const, value: { sessionId: 's1' } };
    expect(checkedResult('fake', 'session:open', result)).toBe(result);
    const refused = { ok: false as const, error: { code: 'SESSION_NOT_OPEN' as const, message: 'the session is not open' } };
    expect(checkedResult('fake', 'session:send', refused)).toBe(refused);
  });

  it.each([
    ['a value of the wrong type', 'session:open', { ok: true, value: { sessionId: 42 } }, 'sessionId'],
    ['a missing field', 'session:send', { ok: true, value: {} }, 'seq'],
    ['an error code the contract does not have', 'session:send', { ok: false, error: { code: 'OOPS', message: 'x' } }, 'error'],
    ['no ok flag at all', 'session:close', { value: {} }, 'ok'],
  ] as const)('throws ContractDrift on %s, naming the command and the field', (_name, command, result, field) => {
    // Deliberately malformed: the point is that the check refuses what the types would not allow.
    const drifted = result as unknown as { ok: true; value: unknown };
    expect(() => checkedResult('fake engine', command, drifted)).toThrow(ContractDrift);
    expect(() => checkedResult('fake engine', command, drifted)).toThrow(`fake engine: its answer to ${command} does not match the contract`);
    expect(() => checkedResult('fake engine', command, drifted)).toThrow(field);
  });

  it('throws ContractDrift on an event the contract does not allow', () => {
    const drifted = { type: 'state', sessionId: 's1', state: 'half-open', previous: 'idle', at: 1 } as unknown as EngineEvent;
    expect(() => checkedEvent('fake engine', drifted)).toThrow(/fake engine: its state event does not match the contract:[\s\S]*state/);
    const good: EngineEvent = { type: 'state', sessionId: 's1', state: 'open', previous: 'upgrading', at: 1 };
    expect(checkedEvent('fake engine', good)).toBe(good);
  });

  it("answers an argument the engine refuses with the engine's own INVALID_ARGUMENT and path", () => {
    expect(refusedArg('session:send', { sessionId: 's1', kind: 'text', data: 'hi' })).toBeUndefined();
    expect(refusedArg('session:send', { sessionId: 's1', kind: 'smoke-signal', data: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', path: 'kind' },
    });
  });
});

describe('FakeEngine', () => {
  it('goes through a whole session (open, send, echo, close) without drifting from the contract', async () => {
    const engine = new FakeEngine({ greet: ['hello'] });
    const events: EngineEvent[] = [];
    engine.onEvent((event) => events.push(event));
    const opened = await engine.call('session:open', { options: { url: 'ws://127.0.0.1:1/' } });
    expect(opened).toEqual({ ok: true, value: { sessionId: 's1' } });
    await new Promise<void>((resolve) => {
      const stop = engine.onEvent((event) => {
        if (event.type === 'state' && event.state === 'open') {
          stop();
          resolve();
        }
      });
    });
    expect(await engine.call('session:send', { sessionId: 's1', kind: 'text', data: 'ping' })).toMatchObject({ ok: true });
    expect(await engine.call('frames:get', { sessionId: 's1', seq: 1 })).toMatchObject({ ok: true });
    expect(await engine.call('session:close', { sessionId: 's1', code: 1000 })).toEqual({ ok: true, value: {} });
    await new Promise<void>((resolve) => {
      const stop = engine.onEvent((event) => {
        if (event.type === 'closed') {
          stop();
          resolve();
        }
      });
    });
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['session-created', 'proxy-decision', 'handshake', 'state', 'frames', 'closed']));
  });

  it('refuses a malformed argument as the engine does, instead of answering it', async () => {
    const engine = new FakeEngine();
    expect(await engine.call('session:open', { options: { url: 'not a url' } })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});
