/**
 * What the CLI commands need from the outside world, passed in so the commands can be driven
 * by a test with a fake engine and in-memory streams.
 */
import type { Readable, Writable } from 'node:stream';
import type { CommandArgInput, CommandName, CommandResult } from '../shared/commands';
import type { EventListener } from '../shared/events';
import type { FrameBody } from '../shared/model';
import type { Result } from '../shared/result';

/** The part of the engine the CLI uses (the real Engine satisfies it). */
export interface EngineApi {
  /** `caller.subscriptionId`: the subscription that hears what this call opens (session:open). */
  call<C extends CommandName>(name: C, arg: CommandArgInput<C>, caller?: { subscriptionId: string }): Promise<Result<CommandResult<C>>>;
  /** Every event of every session (intercept shows them all). */
  onEvent(listener: EventListener): () => void;
  /** A consumer of the sessions it subscribes to, never acknowledging (connect: the one session it opens). */
  subscribe(options: { deliver: EventListener }): { readonly id: string; close(): void };
  /** A stored frame's full payload, read at once (the in-process Engine has it; others use frames:get). */
  frameBody?(sessionId: string, seq: number): FrameBody | undefined;
}

export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** Subscribes to the user's interrupt (Ctrl-C); returns the unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
}

/** Exit statuses: documented in the README and the --help texts. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Lines to stdout and stderr, each written as it comes (terminalWriter gathers stdout's). */
export function lineWriter(io: CliIo): { out(line: string): void; err(line: string): void } {
  return {
    out: (line) => void io.stdout.write(`${line}\n`),
    err: (line) => void io.stderr.write(`${line}\n`),
  };
}
