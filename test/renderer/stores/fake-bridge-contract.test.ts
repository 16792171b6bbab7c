/**
 * The renderer tests' fake bridge cannot drift from the contract: its answers and events go
 * through test/support/contract-check.ts (the whole renderer suite runs against it).
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent, HostEvent } from '../../../src-main/shared/events';
import { ContractDrift } from '../../support/contract-check';
import { createFakeBridge } from './fake-bridge';

describe('the fake bridge', () => {
  it('answers with results the contract allows', async () => {
    const fake = createFakeBridge();
    expect(await fake.bridge['session:open']({ options: { url: 'wss://echo.test/' } })).toEqual({ ok: true, value: { sessionId: 's1' } });
    expect(await fake.bridge['app:info']({})).toMatchObject({ ok: true, value: { name: 'Tunnelscope' } });
  });

  it('throws ContractDrift when a test makes it answer what the engine never would', async () => {
    const fake = createFakeBridge();
    fake.answer('session:open', () => ({ ok: true, value: { sessionId: 7 } }));
    await expect(fake.bridge['session:open']({ options: { url: 'wss://echo.test/' } })).rejects.toThrow(ContractDrift);
    await expect(fake.bridge['session:open']({ options: { url: 'wss://echo.test/' } })).rejects.toThrow('fake bridge: its answer to session:open does not match the contract');
  });

  it("answers an argument the engine refuses with the engine's own INVALID_ARGUMENT, and still records the call", async () => {
    const fake = createFakeBridge();
    const result = await fake.bridge['session:open']({ options: { url: 'wss://echo.test/', history: { maxFrames: 10 } } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'options.history.maxFrames' } });
    expect(fake.calls.map((call) => call.name)).toEqual(['session:open']);
  });

  it('throws ContractDrift on an event the contract does not allow, before any listener sees it', () => {
    const fake = createFakeBridge();
    const seen: HostEvent[] = [];
    fake.bridge.onEvent((event) => seen.push(event));
    const drifted = { type: 'closed', sessionId: 's1', code: 'normal', reason: '', wasClean: true, initiatedBy: 'client', at: 1 } as unknown as EngineEvent;
    expect(() => fake.emit(drifted)).toThrow(ContractDrift);
    expect(seen).toEqual([]);
  });
});
