// The renderer's hand-written frame check and the contract's schema agree on the intercept mark.
import { describe, expect, it } from 'vitest';
import { frameSummaryProblem } from '../../../src-main/shared/frame-summary-check';
import { frameSummarySchema } from '../../../src-main/shared/model';

const frame = { seq: 3, dir: 'out', opcode: 'text', at: 1, size: 5, preview: 'hello', truncated: false };

describe('a frame summary with an intercept mark', () => {
  it.each([{ action: 'edited', originalSize: 12 }, { action: 'dropped' }, { action: 'injected' }, { action: 'resent' }])('%o is valid for both checks', (intercept) => {
    expect(frameSummaryProblem({ ...frame, intercept })).toBeUndefined();
    expect(frameSummarySchema.safeParse({ ...frame, intercept }).success).toBe(true);
  });

  it.each([
    [{ action: 'rewritten' }, 'intercept.action'],
    [{ action: 'edited', originalSize: -1 }, 'intercept.originalSize'],
    [{ action: 'edited', originalSize: 1.5 }, 'intercept.originalSize'],
    ['edited', 'intercept'],
  ])('%o is refused by both, naming %s', (intercept, field) => {
    expect(frameSummaryProblem({ ...frame, intercept })).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(frameSummarySchema.safeParse({ ...frame, intercept }).success).toBe(false);
  });
});
