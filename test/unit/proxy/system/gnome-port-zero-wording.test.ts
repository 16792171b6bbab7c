// GNOME's manual mode with an https host whose port is 0 (the schema's default, so not set): the proxy decision's reason says the host was skipped and why, then that no other proxy is set, then DIRECT; it never says "no proxy host set" while naming a host.
import { describe, expect, it } from 'vitest';
import { readGnomeSettings } from '../../../../src-main/core/proxy/system/gnome-settings';
import { routesFromSettings } from '../../../../src-main/core/proxy/system/settings-routes';
import { recordedGsettings } from './fixtures';

/** `gsettings list-recursively` for manual mode with only these host/port pairs filled in. */
function manualListing(pairs: { http?: [string, number]; https?: [string, number]; socks?: [string, number] }): string {
  const lines = ["org.gnome.system.proxy ignore-hosts ['localhost']", "org.gnome.system.proxy mode 'manual'", 'org.gnome.system.proxy use-same-proxy false'];
  for (const sub of ['http', 'https', 'socks'] as const) {
    const [host, port] = pairs[sub] ?? ['', 0];
    lines.push(`org.gnome.system.proxy.${sub} host '${host}'`, `org.gnome.system.proxy.${sub} port ${port}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The reason as the proxy decision shows it (resolve.ts joins the steps with "; "). */
async function reasonFor(listing: string, url: string): Promise<string> {
  const settings = await readGnomeSettings(recordedGsettings(listing));
  const routes = await routesFromSettings(settings, new URL(url), {
    findWpad: () => Promise.reject(new Error('not asked')),
    loadPac: () => Promise.reject(new Error('not asked')),
  });
  return routes.steps.join('; ');
}

describe('GNOME manual mode: a host whose port is 0', () => {
  it('the only host set, port 0: skipped, no other proxy host set, DIRECT', async () => {
    const reason = await reasonFor(manualListing({ https: ['127.0.0.1', 0] }), 'wss://echo.example/');
    expect(reason).toBe('GNOME proxy settings: manual, https-proxy "127.0.0.1" skipped (its port is 0, so not set), no other proxy host set; no proxy set for wss://, so DIRECT');
    expect(reason).not.toContain('no proxy host set');
  });

  it('nothing set at all still reads "no proxy host set"', async () => {
    expect(await reasonFor(manualListing({}), 'wss://echo.example/')).toBe('GNOME proxy settings: manual, no proxy host set; no proxy set for wss://, so DIRECT');
  });

  it('a skipped host among usable ones is said in its place, and the usable one is used', async () => {
    const reason = await reasonFor(manualListing({ http: ['http-proxy.corp', 3128], https: ['proxy.corp', 0] }), 'ws://echo.example/');
    expect(reason).toBe(
      'GNOME proxy settings: manual, http-proxy http-proxy.corp:3128, https-proxy "proxy.corp" skipped (its port is 0, so not set); ws:// uses the http proxy http-proxy.corp:3128',
    );
  });

  it('a port out of range says so', async () => {
    const settings = await readGnomeSettings(recordedGsettings(manualListing({ socks: ['socks.corp', 70000] })));
    expect(settings.summary).toBe('manual, socks-proxy "socks.corp" skipped (its port is 70000, not 1 to 65535), no other proxy host set');
  });
});
