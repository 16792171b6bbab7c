import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { mount } from '@vue/test-utils';
import { useWidthAtMost, widthAtMost } from '../../../src-renderer/src/composables/use-width-at-most';

describe('widthAtMost', () => {
  it.each([
    [600, true],
    [599.5, true],
    [600.25, false],
    [1200, false],
    [0, false], // not laid out (display: none): not a narrow layout
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
  ])('%s px against 600 -> %s', (width, expected) => {
    expect(widthAtMost(width, 600)).toBe(expected);
  });
});

/** A ResizeObserver the test drives: `resize(width)` reports a content box of that width. */
class FakeObserver {
  static last: FakeObserver | null = null;
  observed: Element[] = [];
  disconnected = false;
  constructor(private readonly callback: (entries: { contentRect: { width: number } }[]) => void) {
    FakeObserver.last = this;
  }
  observe(el: Element): void {
    this.observed.push(el);
  }
  disconnect(): void {
    this.disconnected = true;
  }
  resize(...widths: number[]): void {
    this.callback(widths.map((width) => ({ contentRect: { width } })));
  }
}

describe('useWidthAtMost', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    FakeObserver.last = null;
  });

  function mountProbe() {
    let atMost: Readonly<{ value: boolean }> = { value: false };
    const Probe = defineComponent(() => {
      const el = ref<HTMLElement | null>(null);
      atMost = useWidthAtMost(el, 600);
      return () => h('div', { ref: el });
    });
    const wrapper = mount(Probe);
    return { wrapper, atMost: () => atMost.value };
  }

  it('follows the last size reported for the element', async () => {
    vi.stubGlobal('ResizeObserver', FakeObserver);
    const { wrapper, atMost } = mountProbe();
    const observer = FakeObserver.last;
    expect(observer?.observed).toEqual([wrapper.element]);
    expect(atMost()).toBe(false);
    observer?.resize(488);
    await nextTick();
    expect(atMost()).toBe(true);
    observer?.resize(488, 646);
    expect(atMost()).toBe(false);
    wrapper.unmount();
    expect(observer?.disconnected).toBe(true);
  });

  it('stays wide without a ResizeObserver', () => {
    vi.stubGlobal('ResizeObserver', undefined);
    const { atMost } = mountProbe();
    expect(atMost()).toBe(false);
  });
});
