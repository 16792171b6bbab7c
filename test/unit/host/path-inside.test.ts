import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPathInside } from '../../../src-main/host/path-inside';

describe('isPathInside', () => {
  const root = path.resolve('/srv/ui');

  it('accepts a file or a folder below the root', () => {
    expect(isPathInside(root, path.join(root, 'index.html'))).toBe(true);
    expect(isPathInside(root, path.join(root, 'assets', 'app.js'))).toBe(true);
  });

  it('accepts a name that only starts with two dots', () => {
    expect(isPathInside(root, path.join(root, '..cache'))).toBe(true);
    expect(isPathInside(root, path.join(root, 'a', '..b'))).toBe(true);
  });

  it('refuses the root itself, its parent and anything that climbs out', () => {
    expect(isPathInside(root, root)).toBe(false);
    expect(isPathInside(root, path.dirname(root))).toBe(false);
    expect(isPathInside(root, path.resolve(root, '..', 'ui-other', 'x.js'))).toBe(false);
    expect(isPathInside(root, path.resolve(root, '..', '..', 'etc', 'passwd'))).toBe(false);
  });

  it('refuses a sibling whose name starts with the root name', () => {
    expect(isPathInside(root, `${root}-old${path.sep}index.html`)).toBe(false);
  });
});
