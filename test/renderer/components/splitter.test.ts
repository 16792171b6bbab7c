import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import Splitter from '../../../src-renderer/src/components/Splitter.vue';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

/** Two panes of the given widths with the splitter between (happy-dom has no layout: widths are given). */
function mountBetween(side: 'before' | 'after', widths: [number, number]): { w: VueWrapper; sizes: number[]; resets: () => number } {
  const sizes: number[] = [];
  let resets = 0;
  const pane = (width: number) =>
    h('div', {
      ref: (el: unknown) => {
        if (el instanceof HTMLElement) el.getBoundingClientRect = () => ({ width, height: 100, left: 0, top: 0, right: width, bottom: 100, x: 0, y: 0, toJSON: () => ({}) });
      },
    });
  const Host = defineComponent({
    render: () =>
      h('div', [
        pane(widths[0]),
        h(Splitter, { label: 'Resize', side, min: 200, minOther: 300, onResize: (size: number) => sizes.push(size), onReset: () => resets++ }),
        pane(widths[1]),
      ]),
  });
  wrapper = mount(Host, { attachTo: document.body });
  return { w: wrapper, sizes, resets: () => resets };
}

describe('Splitter', () => {
  it('is a focusable vertical separator with its name', () => {
    const { w } = mountBetween('after', [700, 400]);
    const sep = w.get('[role="separator"]');
    expect(sep.attributes('aria-orientation')).toBe('vertical');
    expect(sep.attributes('aria-label')).toBe('Resize');
    expect(sep.attributes('tabindex')).toBe('0');
  });

  it('resizes the pane after it with the arrow keys, Shift for bigger steps, within the bounds', async () => {
    const { w, sizes } = mountBetween('after', [700, 400]);
    const sep = w.get('[role="separator"]');
    await sep.trigger('keydown', { key: 'ArrowLeft' });
    await sep.trigger('keydown', { key: 'ArrowRight', shiftKey: true });
    await sep.trigger('keydown', { key: 'Home' });
    await sep.trigger('keydown', { key: 'End' });
    // Left grows the pane after the line; Home gives it all but the other's 300 px; End its minimum.
    expect(sizes).toEqual([416, 336, 800, 200]);
  });

  it('follows a drag of the pane before it, and goes back to the default on a double click', async () => {
    const { w, sizes, resets } = mountBetween('before', [250, 900]);
    const sep = w.get('[role="separator"]');
    await sep.trigger('pointerdown', { button: 0, clientX: 250, pointerId: 1 });
    await sep.trigger('pointermove', { clientX: 310, pointerId: 1 });
    await sep.trigger('pointermove', { clientX: 0, pointerId: 1 });
    await sep.trigger('pointerup', { clientX: 0, pointerId: 1 });
    await sep.trigger('pointermove', { clientX: 500, pointerId: 1 });
    expect(sizes).toEqual([310, 200]);
    await sep.trigger('dblclick');
    expect(resets()).toBe(1);
  });
});
