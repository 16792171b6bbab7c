/**
 * Shared set-up for the tests of the CLI's secret sources (@file, env): a temporary folder of
 * files written once for the test file and removed after it, and the parse / usage-error /
 * visible-secrets helpers. Call useSecretFiles at the top of a test file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parseCommandLine, UsageError, type CliCommand } from '../../../src-main/cli/parse-args';
import type { VisibleSecret } from '../../../src-main/cli/visible-secrets';

/** Makes the folder (named from `prefix`) and calls `write` with its path maker before the tests; returns the path maker. */
export function useSecretFiles(prefix: string, write: (file: (name: string) => string) => void): (name: string) => string {
  let dir = '';
  const file = (name: string): string => path.join(dir, name);
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    write(file);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return file;
}

export function parse(args: string[], env: Record<string, string> = {}): CliCommand {
  return parseCommandLine(args, env);
}

/** The usage error's message; throws when there is none. */
export function usage(args: string[], env: Record<string, string> = {}): string {
  try {
    parse(args, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

export function visible(command: CliCommand): VisibleSecret[] | undefined {
  return 'visibleSecrets' in command ? command.visibleSecrets : undefined;
}
