/** `connect …` parsed for the CLI flag tests: the command, or the usage error's words ('accepted' when none). */
import { parseCommandLine, UsageError, type ConnectCommand } from '../../../src-main/cli/parse-args';

export function connect(...args: string[]): ConnectCommand {
  const command = parseCommandLine(['connect', ...args]);
  if (command.kind !== 'connect') throw new Error(`expected connect, got ${command.kind}`);
  return command;
}

export function usageError(...args: string[]): string {
  try {
    parseCommandLine(['connect', ...args]);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
}
