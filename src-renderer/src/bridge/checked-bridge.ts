/**
 * Turns a raw transport (Electron's preload methods, or the web host's socket) into a
 * TunnelscopeBridge whose results and events have been checked against the contract's
 * schemas: what crossed a process boundary is validated before the stores see it.
 */
import type { z } from 'zod';
import { commandResultSchema, type TunnelscopeBridge } from '../../../src-main/shared/bridge';
import { COMMAND_NAMES, type CommandName, type CommandArgInput, type CommandResult, type TunnelscopeApi } from '../../../src-main/shared/commands';
import { hostEventSchema, type HostEvent } from '../../../src-main/shared/events';
import { frameSummaryProblem, isFrameSummary } from '../../../src-main/shared/frame-summary-check';
import { isMenuAction, type MenuAction } from '../../../src-main/shared/ipc-channels';
import { fail, type Result } from '../../../src-main/shared/result';
import { checkFramesEnvelope } from './frames-envelope-check';

/** Sends a command and resolves with whatever came back (a Result, if all is well); may reject. */
export type RawCall = (name: CommandName, arg: unknown) => Promise<unknown>;
/** Subscribes to raw events; returns the unsubscribe function. */
export type RawSubscribe = (callback: (raw: unknown) => void) => () => void;

export interface RawTransport {
  call: RawCall;
  subscribe: RawSubscribe;
  /** Electron's application menu, when the host has one. */
  subscribeMenu?: RawSubscribe;
  /** Where dropped events are reported; default console.warn. */
  warn?: (message: string) => void;
}

const resultSchemas = new Map<CommandName, ReturnType<typeof commandResultSchema>>();

function resultSchemaOf(name: CommandName): ReturnType<typeof commandResultSchema> {
  let schema = resultSchemas.get(name);
  if (!schema) {
    schema = commandResultSchema(name);
    resultSchemas.set(name, schema);
  }
  return schema;
}

/** Checks a command's answer; a malformed one becomes an INTERNAL failure that says so. */
export function checkResult<C extends CommandName>(name: C, raw: unknown): Result<CommandResult<C>> {
  const parsed = resultSchemaOf(name).safeParse(raw);
  if (!parsed.success) return fail('INTERNAL', `the answer to ${name} did not match the contract (${describeIssue(parsed.error)})`);
  // Validated against commandSchemas[name].result just above; TypeScript cannot follow the
  // generic index through zod's union types.
  return parsed.data as Result<CommandResult<C>>;
}

/** A validated event, or undefined (reported) when the payload does not match the contract. */
export function checkEvent(raw: unknown, warn: (message: string) => void): HostEvent | undefined {
  if (isFramesEvent(raw)) return checkFramesEvent(raw, warn);
  const parsed = hostEventSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  warn(`${DROPPED_EVENT} (${describeIssue(parsed.error)})`);
  return undefined;
}

const DROPPED_EVENT = 'tunnelscope: dropped an event that does not match the contract';

/** The first problem zod found, with where it was: `frames.3.seq: Too small…`. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `${where}${issue?.message ?? 'invalid'}`;
}

function isFramesEvent(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'type' in raw && raw.type === 'frames';
}

/** A frames event: the envelope and the (up to 500) summaries through the hand checks (zod's rules, written out). */
function checkFramesEvent(raw: unknown, warn: (message: string) => void): HostEvent | undefined {
  const checked = checkFramesEnvelope(raw);
  if (!checked.ok) {
    warn(`${DROPPED_EVENT} (${checked.problem})`);
    return undefined;
  }
  const { frames } = checked.envelope;
  if (frames.every(isFrameSummary)) return { ...checked.envelope, frames };
  const index = frames.findIndex((frame) => !isFrameSummary(frame));
  warn(`${DROPPED_EVENT} (frames.${index}.${frameSummaryProblem(frames[index]) ?? 'invalid'})`);
  return undefined;
}

/** One method per command of the contract, so a new command needs no change here. */
function buildApi(method: <C extends CommandName>(name: C) => TunnelscopeApi[C]): TunnelscopeApi {
  const api: Partial<TunnelscopeApi> = {};
  const set = <C extends CommandName>(name: C): void => {
    api[name] = method(name);
  };
  for (const name of COMMAND_NAMES) set(name);
  if (!isComplete(api)) throw new Error('the bridge lacks a command');
  return api;
}

function isComplete(api: Partial<TunnelscopeApi>): api is TunnelscopeApi {
  return COMMAND_NAMES.every((name) => typeof api[name] === 'function');
}

export function checkedBridge(transport: RawTransport): TunnelscopeBridge {
  const warn = transport.warn ?? ((message: string) => console.warn(message));

  function method<C extends CommandName>(name: C): TunnelscopeApi[C] {
    const call = async (arg: CommandArgInput<C>): Promise<Result<CommandResult<C>>> => {
      let raw: unknown;
      try {
        raw = await transport.call(name, arg);
      } catch (error) {
        return fail('INTERNAL', `${name} could not reach the engine: ${error instanceof Error ? error.message : String(error)}`);
      }
      return checkResult(name, raw);
    };
    // This is TunnelscopeApi[C] written out; TypeScript cannot resolve the mapped type for a generic C.
    return call as TunnelscopeApi[C];
  }

  const api = buildApi(method);

  const bridge: TunnelscopeBridge = {
    ...api,
    onEvent(callback: (event: HostEvent) => void): () => void {
      return transport.subscribe((raw) => {
        const event = checkEvent(raw, warn);
        if (event) callback(event);
      });
    },
  };
  const subscribeMenu = transport.subscribeMenu;
  if (subscribeMenu) {
    bridge.onMenu = (callback: (action: MenuAction) => void) =>
      subscribeMenu((raw) => {
        if (isMenuAction(raw)) callback(raw);
        else warn(`tunnelscope: ignored an unknown menu action ${JSON.stringify(raw)?.slice(0, 80) ?? ''}`);
      });
  }
  return bridge;
}
