/**
 * The web host's rule for exports with secrets: the page asks, the host prints a one-time code
 * in the terminal that started it, and only a call carrying that code gets the secrets. A
 * script running in the page (an injected one, a malicious extension with the token) cannot
 * read the terminal, so it cannot take the secrets out on its own; the user at the keyboard
 * can. Every other call passes through unchanged.
 */
import { z } from 'zod';
import type { EngineEvent } from '../shared/events';
import { fail, type Result } from '../shared/result';
import { OneTimeCode, type OneTimeCodeOptions } from './one-time-code';

/** The engine as the web host uses it. */
export interface GatedEngine<Rest extends unknown[]> {
  /** `rest`: what the host passes along (the calling page), untouched. */
  invoke(name: string, rawArg: unknown, ...rest: Rest): Promise<Result<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

export interface SecretExportGateOptions extends OneTimeCodeOptions {
  /** Writes a line to the terminal that started the host (never to the page). */
  announce: (line: string) => void;
}

/** Just enough of the argument to see whether secrets are asked for; the engine validates the rest. */
const secretExportArg = z.looseObject({ includeSecrets: z.literal(true), confirmationCode: z.unknown().optional() });

const CONFIRMATION_CODE_PATH = 'confirmationCode';

/** `engine` with `profiles:export { includeSecrets: true }` behind the one-time code. */
export function withSecretExportGate<Rest extends unknown[]>(engine: GatedEngine<Rest>, options: SecretExportGateOptions): GatedEngine<Rest> {
  const code = new OneTimeCode(options);
  const minutes = Math.round(code.ttlMs / 60_000);
  const refuse = (message: string): Result<unknown> => fail('FORBIDDEN', message, CONFIRMATION_CODE_PATH);

  function check(rawArg: unknown): { pass: unknown } | { refuse: Result<unknown> } {
    const asked = secretExportArg.safeParse(rawArg);
    if (!asked.success) return { pass: rawArg };
    const { confirmationCode, ...rest } = asked.data;
    if (confirmationCode === undefined || confirmationCode === '') {
      const shown = code.issue();
      options.announce(
        `tunnelscope web: the page asks to export profiles WITH SECRETS in clear text. If that was you, type this code in the page: ${shown} ` +
          `(works once, for ${minutes} minutes). If it was not you, do not give it out.`,
      );
      return { refuse: refuse(`an export with secrets needs the one-time code just printed in the terminal where the web host runs; type it in and export again (it works once, for ${minutes} minutes)`) };
    }
    if (typeof confirmationCode !== 'string') return { refuse: refuse('confirmationCode must be text (the code printed in the terminal)') };
    const verdict = code.redeem(confirmationCode);
    switch (verdict) {
      case 'ok':
        return { pass: rest };
      case 'wrong':
        return { refuse: refuse(`the code is not the one printed in the terminal (${code.triesLeft()} more tries before it stops working)`) };
      case 'too-many-tries':
        return { refuse: refuse('the code was typed wrong too many times and no longer works; export again to get a new one') };
      case 'expired':
        return { refuse: refuse(`the code is older than ${minutes} minutes and no longer works; export again to get a new one`) };
      case 'none':
        return { refuse: refuse('there is no code waiting (each one works once); export again without a code to get a new one') };
    }
  }

  return {
    async invoke(name: string, rawArg: unknown, ...rest: Rest): Promise<Result<unknown>> {
      if (name !== 'profiles:export') return engine.invoke(name, rawArg, ...rest);
      const checked = check(rawArg);
      if ('refuse' in checked) return checked.refuse;
      return engine.invoke(name, checked.pass, ...rest);
    },
    onEvent: (listener) => engine.onEvent(listener),
  };
}
