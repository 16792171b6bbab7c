/** A mistake on the command line (exit status 2), with the command whose --help to point at. */
export type HelpTopic = 'connect' | 'resolve' | 'profiles';

export class UsageError extends Error {
  /** Help to point at (`tunnelscope connect --help`). */
  readonly command: HelpTopic | undefined;

  constructor(message: string, command?: HelpTopic) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
