import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';

function parse(...args: string[]): ReturnType<typeof parseCommandLine> {
  return parseCommandLine(['intercept', ...args]);
}

function usage(args: string[]): string {
  try {
    parse(...args);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('no usage error');
}

describe('intercept --break-json and --break-host', () => {
  it('a JSONPath rule with its direction; --break-host limits every rule to that server, alone it holds all of its messages', () => {
    expect(parse('--break-json', 'out:$[?(@.type == "order")]', '--break', 'token')).toMatchObject({
      breakpoints: [{ text: 'token' }, { direction: 'out', jsonPath: '$[?(@.type == "order")]' }],
    });
    expect(parse('--break', 'in:err', '--break-host', 'api.example.com')).toMatchObject({ breakpoints: [{ direction: 'in', text: 'err', host: 'api.example.com' }] });
    expect(parse('--break-host', 'api.example.com')).toMatchObject({ breakpoints: [{ host: 'api.example.com' }] });
  });

  it('an empty JSONPath or host is named', () => {
    expect(usage(['--break-json', 'in:'])).toMatch(/--break-json needs a JSONPath/);
    expect(usage(['--break-host', ' '])).toMatch(/--break-host needs the server's host name/);
  });
});
