import { printable } from './terminal-text';

/**
 * A mistake on the command line (exit status 2), with the command whose --help to point at.
 * The message often quotes what was typed, so it is escaped for the terminal here, once.
 */
export type HelpTopic = 'connect' | 'resolve' | 'profiles' | 'intercept';

export class UsageError extends Error {
  /** Help to point at (`tunnelscope connect --help`). */
  readonly command: HelpTopic | undefined;
  /**
   * False when the flag was well formed but the file it names is not usable (a directory, a
   * schema without that type): the message says what and where, and --help would not.
   */
  readonly pointsAtHelp: boolean;

  constructor(message: string, command?: HelpTopic, options: { pointsAtHelp?: boolean } = {}) {
    super(printable(message));
    this.name = 'UsageError';
    this.command = command;
    this.pointsAtHelp = options.pointsAtHelp ?? true;
  }
}

/** A file named by a well-formed flag that cannot be used: exit status 2, no pointer to --help. */
export function fileProblem(message: string, command: HelpTopic): UsageError {
  return new UsageError(message, command, { pointsAtHelp: false });
}
