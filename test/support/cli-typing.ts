/**
 * `connect` run in process against a real engine, with its stdin typed step by step: each
 * message is typed once the output shows what the step waits for (a server may close on a
 * message that comes too early); stdin ends after the last step, which closes the session.
 */
import { runConnect } from '../../src-main/cli/connect-command';
import { parseCommandLine } from '../../src-main/cli/parse-args';
import type { Engine } from '../../src-main/core/engine';
import { fakeIo } from '../unit/cli/fake-engine';

export interface TypingStep {
  /** A line typed on stdin (one text message). */
  send?: string;
  /** Text the output must show before the next step. */
  waitFor: string;
}

export interface TypingRun {
  code: number;
  out: string;
  err: string;
}

/** About 30 s of polling: only reached when the awaited output never comes. */
const MAX_POLLS = 3000;

export async function connectTyping(engine: Engine, args: string[], script: readonly TypingStep[]): Promise<TypingRun> {
  const command = parseCommandLine(['connect', ...args, '--no-proxy']);
  if (command.kind !== 'connect') throw new Error('expected connect');
  const io = fakeIo();
  const running = runConnect(command, engine, io);
  for (const step of script) {
    if (step.send !== undefined) io.stdinStream.write(`${step.send}\n`);
    for (let i = 0; !io.stdoutText().includes(step.waitFor); i++) {
      if (i > MAX_POLLS) throw new Error(`never saw ${step.waitFor}; stdout: ${io.stdoutText()} stderr: ${io.stderrText()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  io.stdinStream.end();
  const code = await running;
  return { code, out: io.stdoutText(), err: io.stderrText() };
}
