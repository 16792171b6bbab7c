/**
 * The modal dialog shell the profile editor, the import report and the export dialog share: it
 * is a named modal dialog, Escape and a press on the backdrop ask to close (saying which), Tab
 * stays inside, the chosen control gets the focus on opening, and the parent's listeners and
 * attributes reach the panel.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import ModalDialog from '../../../src-renderer/src/components/ModalDialog.vue';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

async function open(props: { initialFocus?: () => HTMLElement | null; framed?: boolean } = {}, attrs: Record<string, unknown> = {}) {
  wrapper = mount(ModalDialog, {
    props: { width: 480, ...props },
    attrs,
    slots: {
      title: () => 'Export all profiles',
      header: () => h('span', { class: 'extra' }, 'Unsaved changes'),
      default: () => [h('input', { 'aria-label': 'First' }), h('input', { 'aria-label': 'Second' })],
      footer: () => [h('button', { type: 'button' }, 'Cancel'), h('button', { type: 'button', class: 'ok' }, 'Export')],
    },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

function panel(w: VueWrapper) {
  return w.get('[role="dialog"]');
}

describe('ModalDialog', () => {
  it('is a modal dialog named by its title, with the header, body and footer slots inside', async () => {
    const w = await open();
    const dialog = panel(w);
    expect(dialog.attributes('aria-modal')).toBe('true');
    const title = document.getElementById(dialog.attributes('aria-labelledby') ?? '');
    expect(title?.tagName).toBe('H2');
    expect(title?.textContent).toBe('Export all profiles');
    expect(dialog.find('.extra').text()).toBe('Unsaved changes');
    expect(dialog.findAll('input')).toHaveLength(2);
    expect(dialog.findAll('button').map((b) => b.text())).toEqual(['Cancel', 'Export']);
  });

  it('focuses the chosen control on opening, or else the first one', async () => {
    const chosen = await open({ initialFocus: () => document.querySelector<HTMLElement>('button.ok') });
    expect(document.activeElement?.textContent).toBe('Export');
    chosen.unmount();
    wrapper = undefined;
    await open();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('First');
  });

  it('Escape and a press on the backdrop emit close, saying which; a press inside the panel does not', async () => {
    const w = await open();
    await panel(w).get('input').trigger('keydown', { key: 'Escape' });
    await panel(w).trigger('mousedown');
    await w.get('.backdrop').trigger('mousedown');
    expect(w.emitted('close')).toEqual([['escape'], ['backdrop']]);
  });

  it('keeps Tab inside the dialog: past the last control to the first, and back', async () => {
    const w = await open();
    const inputs = panel(w).findAll('input');
    const buttons = panel(w).findAll('button');
    const last = buttons.at(-1);
    const first = inputs[0];
    if (!last || !first || !(last.element instanceof HTMLElement)) throw new Error('controls missing');
    last.element.focus();
    await last.trigger('keydown', { key: 'Tab' });
    expect(document.activeElement).toBe(first.element);
    await first.trigger('keydown', { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last.element);
  });

  it('passes the parent’s listeners and attributes to the panel (the editor’s Ctrl+S)', async () => {
    const keys: string[] = [];
    const w = await open({ framed: true }, { 'data-testid': 'editor', onKeydown: (event: KeyboardEvent) => keys.push(event.key) });
    expect(panel(w).attributes('data-testid')).toBe('editor');
    expect(panel(w).classes()).toContain('framed');
    expect(panel(w).find('header h2').exists()).toBe(true);
    expect(panel(w).find('footer').exists()).toBe(true);
    await panel(w).trigger('keydown', { key: 's', ctrlKey: true });
    expect(keys).toEqual(['s']);
  });

  it('works inside a parent that opens and closes it with v-if', async () => {
    const Parent = defineComponent({
      setup() {
        const shown = ref(true);
        return () =>
          shown.value ? h(ModalDialog, { width: 300, onClose: () => (shown.value = false) }, { title: () => 'Imported', default: () => h('p', 'done') }) : h('p', 'closed');
      },
    });
    wrapper = mount(Parent, { attachTo: document.body });
    await wrapper.get('[role="dialog"]').trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect(wrapper.text()).toBe('closed');
  });
});
