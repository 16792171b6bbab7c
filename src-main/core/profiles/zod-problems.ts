/**
 * zod issues → problems in plain words, each with the place it was found written the way a
 * person reads a JSON file: `profiles[2].proxy.url`.
 */
import type { z } from 'zod';
import type { TransferProblem } from '../../shared/profiles';

export type PathSegment = string | number;

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function problemsFromZod(error: z.ZodError, prefix: readonly PathSegment[] = []): TransferProblem[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issueMessage(issue) }));
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    // zod says "Invalid input: expected string, received undefined".
    if (/received undefined$/.test(issue.message)) return `is missing (expected ${article(issue.expected)})`;
    const received = /received (\w+)$/.exec(issue.message)?.[1];
    return received ? `expected ${article(issue.expected)}, found ${article(received)}` : issue.message;
  }
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined && 'options' in issue && issue.options) {
    return `must be one of ${issue.options.map((option) => JSON.stringify(option)).join(', ')}`;
  }
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  return issue.message;
}

function article(type: string): string {
  if (type === 'array' || type === 'object' || type === 'integer') return `an ${type}`;
  if (type === 'undefined' || type === 'null') return type;
  return `a ${type}`;
}
