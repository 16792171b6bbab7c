import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type ConnectCommand } from '../../../src-main/cli/parse-args';

function connect(...args: string[]): ConnectCommand {
  const command = parseCommandLine(['connect', 'ws://127.0.0.1:1/', ...args]);
  if (command.kind !== 'connect') throw new Error('expected connect');
  return command;
}

function usageError(...args: string[]): string {
  try {
    parseCommandLine(['connect', 'ws://127.0.0.1:1/', ...args]);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

/** A UsageError is exit status 2 with a pointer to `connect --help` (cli/index.ts). */
describe('connect --repeat and --interval', () => {
  it('read as the sends of each message and the wait between them', () => {
    expect(connect('--send', 'a', '--repeat', '100', '--interval', '250').repeat).toEqual({ count: 100, intervalMs: 250 });
    expect(connect('--send-binary', '01', '--repeat', '1000000').repeat).toEqual({ count: 1_000_000, intervalMs: 0 });
    expect(connect('--send', 'a', '--repeat', '1', '--interval', '86400000').repeat).toEqual({ count: 1, intervalMs: 86_400_000 });
    expect(connect('--send', 'a').repeat).toBeUndefined();
  });

  it('go with --profile too (they say what to send, not how to connect)', () => {
    const command = parseCommandLine(['connect', '--profile', 'p', '--send', 'x', '--repeat', '3']);
    expect(command.kind === 'connect' ? command.repeat : undefined).toEqual({ count: 3, intervalMs: 0 });
  });

  it('refuse values out of range or not whole numbers, naming the flag', () => {
    expect(usageError('--send', 'a', '--repeat', '0')).toBe('--repeat must be between 1 and 1,000,000 sends, got 0');
    expect(usageError('--send', 'a', '--repeat', '1000001')).toBe('--repeat must be between 1 and 1,000,000 sends, got 1000001');
    expect(usageError('--send', 'a', '--repeat', 'ten')).toBe('--repeat must be a whole number of sends, got "ten"');
    expect(usageError('--send', 'a', '--repeat', '2', '--interval', '86400001')).toBe('--interval must be between 0 and 86,400,000 milliseconds, got 86400001');
    expect(usageError('--send', 'a', '--repeat', '2', '--interval', '-5')).toMatch(/^--interval must be a whole number of milliseconds/);
  });

  it('need what they apply to', () => {
    expect(usageError('--send', 'a', '--interval', '100')).toBe('--interval needs --repeat <n> (how many times to send each message)');
    expect(usageError('--repeat', '5')).toBe('--repeat repeats the --send / --send-binary / --send-file messages: give at least one');
  });

  it('an unknown built-in in a --send text is a usage error before anything connects', () => {
    expect(usageError('--send', 'id={{$uid}}')).toBe('--send "id={{$uid}}": unknown built-in {{$uid}} at character 4: the built-ins are {{$timestamp}}, {{$isoTimestamp}}, {{$uuid}}, {{$randomInt}}, {{$counter}}');
    expect(connect('--send', '{{name}} {{$counter}}').outgoing).toEqual([{ kind: 'text', data: '{{name}} {{$counter}}' }]);
  });

  it('are in connect --help', () => {
    const help = parseCommandLine(['connect', '--help']);
    const text = help.kind === 'help' ? help.text : '';
    expect(text).toContain('--repeat <n>');
    expect(text).toContain('--interval <ms>');
    expect(text).toContain('{{$counter}}');
  });
});
