import { describe, expect, it } from 'vitest';
import { tabLabel } from '../../../src-renderer/src/util/tab-label';

describe('a tab named after a URL with {{variables}}', () => {
  it('shows the names as typed, without the scheme, query or fragment', () => {
    expect(tabLabel('wss://{{host}}/chat/{{room}}?key={{token}}')).toBe('{{host}}/chat/{{room}}');
    expect(tabLabel('{{base}}/ws')).toBe('{{base}}/ws');
  });
});
