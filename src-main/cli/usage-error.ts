import { printable } from './terminal-text';

/**
 * A mistake on the command line (exit status 2), with the command whose --help to point at.
 * The message often quotes what was typed, so it is escaped for the terminal here, once.
 */
export type HelpTopic = 'connect' | 'resolve' | 'profiles' | 'intercept';

export class UsageError extends Error {
  /** Help to point at (`tunnelscope connect --help`). */
  readonly command: HelpTopic | undefined;

  constructor(message: string, command?: HelpTopic) {
    super(printable(message));
    this.name = 'UsageError';
    this.command = command;
  }
}
