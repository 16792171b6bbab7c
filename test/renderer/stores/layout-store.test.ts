import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAYOUT_STORAGE_KEY, parsePaneSizes, useLayoutStore } from '../../../src-renderer/src/stores/layout-store';

describe('parsePaneSizes', () => {
  it('keeps valid sizes, within bounds', () => {
    expect(parsePaneSizes('{"sidebar":300,"detail":512.4}')).toEqual({ sidebar: 300, detail: 512 });
    expect(parsePaneSizes('{"sidebar":10,"detail":99999}')).toEqual({ sidebar: 160, detail: 1600 });
  });

  it('falls back to the default for anything else, field by field', () => {
    expect(parsePaneSizes(null)).toEqual({ sidebar: null, detail: null });
    expect(parsePaneSizes('not json')).toEqual({ sidebar: null, detail: null });
    expect(parsePaneSizes('[1,2]')).toEqual({ sidebar: null, detail: null });
    expect(parsePaneSizes('{"sidebar":"wide","detail":400}')).toEqual({ sidebar: null, detail: 400 });
    expect(parsePaneSizes('{"sidebar":null}')).toEqual({ sidebar: null, detail: null });
  });
});

describe('useLayoutStore', () => {
  beforeEach(() => {
    localStorage.clear();
  });
  afterEach(() => {
    localStorage.clear();
  });

  it('remembers a dragged size, and a reset, in localStorage', async () => {
    setActivePinia(createPinia());
    const layout = useLayoutStore();
    layout.setSize('detail', 450);
    await nextTick();
    expect(JSON.parse(localStorage.getItem(LAYOUT_STORAGE_KEY) ?? '{}')).toEqual({ sidebar: null, detail: 450 });

    // A new window reads it back.
    setActivePinia(createPinia());
    expect(useLayoutStore().sizes).toEqual({ sidebar: null, detail: 450 });

    useLayoutStore().resetSize('detail');
    await nextTick();
    expect(JSON.parse(localStorage.getItem(LAYOUT_STORAGE_KEY) ?? '{}')).toEqual({ sidebar: null, detail: null });
  });

  it('starts from the default when the stored value is garbage', () => {
    localStorage.setItem(LAYOUT_STORAGE_KEY, '{"sidebar":-5e400');
    setActivePinia(createPinia());
    expect(useLayoutStore().sizes).toEqual({ sidebar: null, detail: null });
  });
});
