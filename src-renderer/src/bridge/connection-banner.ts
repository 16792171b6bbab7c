/**
 * The web host's connection state, shown when the socket to the host is lost (the host
 * stopped, or was restarted with a new token). Plain DOM outside the Vue app, so the app's
 * components stay host-agnostic. It sits along the bottom, over the composer (which cannot
 * send while the host is gone), so the tabs, the form and the log stay readable.
 *
 * A visually hidden live region (no role: `status` and `alert` belong to the session state
 * and the error panel) announces the change once; the countdown is outside it so it is not
 * read out every second.
 */
import type { WebHostConnection } from './web-bridge';

const BANNER_STYLE: Partial<CSSStyleDeclaration> = {
  position: 'fixed',
  left: '0',
  right: '0',
  bottom: '0',
  zIndex: '10000',
  display: 'none',
  alignItems: 'center',
  gap: '12px',
  padding: '10px 16px',
  // The theme's error tint is translucent in dark mode: lay it over an opaque surface.
  background: 'linear-gradient(var(--ts-error-bg, #fdecec), var(--ts-error-bg, #fdecec)), var(--ts-surface, #ffffff)',
  borderTop: '2px solid var(--ts-error, #c4171f)',
  color: 'var(--ts-text, #1b1f24)',
  font: '13px/1.45 var(--ts-font-ui, system-ui, sans-serif)',
  boxShadow: '0 -2px 10px rgba(0, 0, 0, 0.18)',
};

const VISUALLY_HIDDEN: Partial<CSSStyleDeclaration> = {
  // Placed at the top: left where the flow put it (below the app, at the window's height) it made
  // the page 1 px taller than the window, and the browser gave the whole UI a scrollbar.
  position: 'absolute',
  top: '0',
  left: '0',
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
};

/** Mounts the banner into `document.body`; returns a function that removes it. */
export function mountConnectionBanner(connection: WebHostConnection, document: Document): () => void {
  const announcer = document.createElement('div');
  announcer.setAttribute('aria-live', 'assertive');
  Object.assign(announcer.style, VISUALLY_HIDDEN);

  const banner = document.createElement('div');
  banner.dataset['testid'] = 'web-host-connection';
  Object.assign(banner.style, BANNER_STYLE);
  const icon = document.createElement('span');
  icon.textContent = '✖';
  icon.setAttribute('aria-hidden', 'true');
  icon.style.color = 'var(--ts-error, #c4171f)';
  icon.style.fontWeight = '700';
  const text = document.createElement('span');
  const title = document.createElement('strong');
  title.textContent = 'Connection to the web host lost';
  title.style.color = 'var(--ts-error, #c4171f)';
  const detail = document.createElement('span');
  text.append(title, detail);
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'ts-btn ts-btn--small';
  retry.textContent = 'Reconnect now';
  retry.style.marginLeft = 'auto';
  retry.style.flex = 'none';
  retry.addEventListener('click', () => connection.retryNow());
  banner.append(icon, text, retry);
  document.body.append(announcer, banner);

  let ticker: ReturnType<typeof setInterval> | null = null;
  let wasLost = false;

  const render = (): void => {
    const lost = connection.state === 'lost';
    if (lost !== wasLost) {
      announcer.textContent = lost ? 'Connection to the web host lost. Reconnecting.' : 'Reconnected to the web host.';
      wasLost = lost;
    }
    if (!lost) {
      banner.style.display = 'none';
      if (ticker) clearInterval(ticker);
      ticker = null;
      return;
    }
    const seconds = connection.retryAt === null ? 0 : Math.max(0, Math.ceil((connection.retryAt - Date.now()) / 1000));
    const next = seconds > 0 ? `Reconnecting in ${seconds} s.` : 'Reconnecting…';
    detail.textContent =
      ` (${connection.lastCloseReason ?? 'no reason given'}). ${next} ` +
      'If you restarted the web host, open the new URL it printed: the access token changes on every start.';
    banner.style.display = 'flex';
    ticker ??= setInterval(render, 1000);
  };

  const unsubscribe = connection.onChange(render);
  render();
  return () => {
    unsubscribe();
    if (ticker) clearInterval(ticker);
    banner.remove();
    announcer.remove();
  };
}
