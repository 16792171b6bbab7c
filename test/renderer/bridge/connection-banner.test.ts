/** The "connection to the web host lost" banner: hidden while connected, explicit when lost. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountConnectionBanner } from '../../../src-renderer/src/bridge/connection-banner';
import { createWebBridge, type WebBridge } from '../../../src-renderer/src/bridge/web-bridge';
import { socketFactory } from './fake-socket';

let web: WebBridge;
let unmount: () => void;
let factory: ReturnType<typeof socketFactory>;

beforeEach(() => {
  vi.useFakeTimers();
  factory = socketFactory();
  web = createWebBridge({ url: 'ws://127.0.0.1:1/api', createSocket: factory.create, backoff: { initialMs: 4000, maxMs: 4000 } });
  unmount = mountConnectionBanner(web.connection, document);
});
afterEach(() => {
  unmount();
  web.close();
  vi.useRealTimers();
});

const banner = (): HTMLElement | null => document.querySelector('[data-testid="web-host-connection"]');
const live = (): HTMLElement | null => document.querySelector('[aria-live="assertive"]');

describe('mountConnectionBanner', () => {
  it('stays hidden while connecting and connected', () => {
    expect(banner()?.style.display).toBe('none');
    factory.last().open();
    expect(banner()?.style.display).toBe('none');
  });

  it('shows the loss with its reason and a countdown, announces it once, and offers to reconnect now', async () => {
    factory.last().open();
    factory.last().drop(1001, 'the web host is shutting down');
    expect(banner()?.style.display).toBe('flex');
    expect(banner()?.textContent).toContain('Connection to the web host lost');
    expect(banner()?.textContent).toContain('closed with code 1001: the web host is shutting down');
    expect(banner()?.textContent).toContain('Reconnecting in 4 s.');
    expect(banner()?.textContent).toContain('open the new URL it printed');
    expect(live()?.textContent).toBe('Connection to the web host lost. Reconnecting.');
    await vi.advanceTimersByTimeAsync(2000);
    expect(banner()?.textContent).toContain('Reconnecting in 2 s.');

    const button = banner()?.querySelector('button');
    expect(button?.textContent).toBe('Reconnect now');
    button?.click();
    expect(factory.sockets).toHaveLength(2);
    factory.last().open();
    expect(banner()?.style.display).toBe('none');
    expect(live()?.textContent).toBe('Reconnected to the web host.');
  });

  it('has no role, so it never competes with the session status or the error panel', () => {
    factory.last().open();
    factory.last().drop();
    expect(document.querySelectorAll('[role="status"], [role="alert"]')).toHaveLength(0);
  });

  it('removes itself on unmount', () => {
    unmount();
    expect(banner()).toBeNull();
    expect(live()).toBeNull();
    unmount = () => {};
  });
});
