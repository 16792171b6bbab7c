/**
 * Keeps the hand-written fake engines (test/unit/cli/fake-engine.ts, the renderer's
 * fake-bridge.ts) honest: every result they answer and every event they emit is parsed with
 * the contract's own zod schemas (src-main/shared), and a mismatch throws; an argument the
 * engine would refuse gets the engine's own INVALID_ARGUMENT. A fake that drifted from the
 * contract would otherwise let a test pass against answers the real engine never gives.
 */
import { z } from 'zod';
import { commandResultSchema } from '../../src-main/shared/bridge';
import { parseCommandArg, type CommandName } from '../../src-main/shared/commands';
import { hostEventSchema, type HostEvent } from '../../src-main/shared/events';
import type { Result } from '../../src-main/shared/result';

export class ContractDrift extends Error {
  override name = 'ContractDrift';
}

/**
 * What the real engine answers to an argument it refuses (INVALID_ARGUMENT, with the path),
 * or undefined when the argument is valid: a fake answers that instead of its handler, as the
 * engine would, so a test of how the UI shows a refused argument sees the engine's own words.
 */
export function refusedArg(name: CommandName, arg: unknown): Result<never> | undefined {
  const parsed = parseCommandArg(name, arg);
  return parsed.ok ? undefined : { ok: false, error: parsed.error };
}

/** A result the fake answers; returned unchanged when it matches `name`'s result schema. */
export function checkedResult<T extends Result<unknown>>(who: string, name: CommandName, result: T): T {
  const parsed = commandResultSchema(name).safeParse(result);
  if (!parsed.success) throw new ContractDrift(`${who}: its answer to ${name} does not match the contract:\n${z.prettifyError(parsed.error)}`);
  return result;
}

/** An event the fake emits; returned unchanged when it matches the contract's event schema. */
export function checkedEvent<E extends HostEvent>(who: string, event: E): E {
  const parsed = hostEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ContractDrift(`${who}: its ${event.type} event does not match the contract:\n${z.prettifyError(parsed.error)}`);
  }
  return event;
}
