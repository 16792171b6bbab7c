/**
 * Chooses how to reach a ws:// or wss:// URL: straight, or through which proxies in which
 * order, and says why in words. The modes are the profile's ProxySetting (see model.ts).
 *
 * Credentials, for every proxy chosen: the manual setting's username/password fields win,
 * then user:password in the proxy URL, then `proxyAuth`. They stay on the routes (which
 * never leave the engine); the decision carries only `hasCredentials`.
 */
import type { ProxyDecision, ProxySetting, ProxySource } from '../../shared/model';
import { NetFailure, errorMessage } from '../errors/net-failure';
import { Deadline, raceDeadline } from '../net/deadline';
import { resolveFromEnvironment } from './env-proxy';
import { parsePacAnswer, quotePacAnswer } from './pac-answer';
import { evaluatePac } from './pac-script';
import { parseProxyUrl } from './parse-proxy-url';
import { routeToCandidate, type Route } from './proxy-endpoint';
import type { SystemProxy } from './system/system-proxy';

export interface ResolveEnvironment {
  /** Environment variables (pass process.env in production; tests pass tables). */
  env: Readonly<Record<string, string | undefined>>;
  /** The host's system resolver (Electron passes Chromium's session.resolveProxy); its
   *  answer is a PAC-style string such as "PROXY a:3128; DIRECT". */
  systemResolver?: (url: string) => Promise<string>;
  /** How the reason names the system resolver (Electron: "system settings (Chromium)"). */
  systemLabel?: string;
  /** The OS settings readers (CLI, web host: system/system-proxy.ts), used when there is no
   *  systemResolver; they explain each step. Beside a systemResolver they only say what the
   *  settings are, after Chromium's answer. */
  systemProxy?: SystemProxy;
  /** Deadline for loading + evaluating a PAC script (default 10 s). */
  pacTimeoutMs?: number;
}

function systemLabelOf(environment: ResolveEnvironment): string {
  return environment.systemLabel ?? 'system settings';
}

export interface ResolvedRoutes {
  decision: ProxyDecision;
  routes: Route[];
}

export interface ProxyCredentials {
  username: string;
  password: string;
  /** The NTLM domain for a plain user name; it goes with whichever credentials a proxy gets. */
  domain?: string;
}

const DEFAULT_PAC_TIMEOUT_MS = 10_000;

/** Throws NetFailure with stage 'resolve'. */
export async function resolveProxy(
  targetUrl: string, // ws:// or wss:// URL (already validated)
  setting: ProxySetting,
  proxyAuth: ProxyCredentials | undefined,
  environment: ResolveEnvironment,
): Promise<ResolvedRoutes> {
  const target = new URL(targetUrl);
  if (target.protocol !== 'ws:' && target.protocol !== 'wss:') {
    // The contract validates URLs before they get here; this is a caller's bug.
    throw new TypeError(`resolveProxy needs a ws:// or wss:// URL, not ${target.protocol}//`);
  }
  const timeoutMs = environment.pacTimeoutMs ?? DEFAULT_PAC_TIMEOUT_MS;

  switch (setting.mode) {
    case 'none':
      return decided('none', [{ kind: 'direct' }], 'proxy disabled for this connection');

    case 'manual': {
      const proxy = parseProxyUrl(setting.url);
      if (setting.username !== undefined && setting.username !== '') {
        proxy.username = setting.username;
        proxy.password = setting.password ?? '';
      }
      return decided('manual', withCredentials([{ kind: 'proxy', proxy }], proxyAuth, 'first-connect'), 'set by hand');
    }

    case 'pac': {
      const result = await evaluatePac(setting.source, resolverUrl(target), resolverHost(target), timeoutMs);
      const reason = withNotes(`PAC returned ${quotePacAnswer(result.answer)} (${result.origin})`, result.notes);
      return decided('pac', withCredentials(result.routes, proxyAuth, 'on-challenge'), reason);
    }

    case 'system': {
      if (environment.systemResolver === undefined && environment.systemProxy !== undefined) {
        const system = await readSystem(environment.systemProxy, target, timeoutMs);
        if (!system.ok) throw system.failure;
        return decided('system', withCredentials(system.routes, proxyAuth, 'on-challenge'), system.steps.join('; '));
      }
      if (environment.systemResolver === undefined) {
        throw NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', {}, {
          message: 'This host has no system proxy resolver: only the desktop app can read the system proxy settings.',
        });
      }
      const described = settingsSteps(environment, target, timeoutMs);
      const system = await askSystem(environment.systemResolver, target, timeoutMs);
      if (!system.ok) throw system.failure;
      const reason = withNotes(`${systemLabelOf(environment)} returned ${quotePacAnswer(system.answer)}`, [...system.notes, ...(await described)]);
      return decided('system', withCredentials(system.routes, proxyAuth, 'on-challenge'), reason);
    }

    case 'env': {
      const fromEnv = resolveFromEnvironment(targetUrl, environment.env);
      return decided('env', withCredentials([fromEnv.route], proxyAuth, 'on-challenge'), fromEnv.reason);
    }

    case 'auto':
      return resolveAuto(target, targetUrl, proxyAuth, environment, timeoutMs);
  }
}

/**
 * The system resolver where the host has one, if its answer names a proxy; otherwise the
 * environment (which may also end in DIRECT). A system resolver that fails or answers
 * nonsense does not stop the connection in this mode: the reason says so and the
 * environment decides.
 */
async function resolveAuto(
  target: URL,
  targetUrl: string,
  proxyAuth: ProxyCredentials | undefined,
  environment: ResolveEnvironment,
  timeoutMs: number,
): Promise<ResolvedRoutes> {
  if (environment.systemResolver === undefined && environment.systemProxy !== undefined) {
    return resolveAutoFromSettings(environment.systemProxy, target, targetUrl, proxyAuth, environment, timeoutMs);
  }
  let systemSummary: string | undefined;
  if (environment.systemResolver !== undefined) {
    const described = settingsSteps(environment, target, timeoutMs);
    const system = await askSystem(environment.systemResolver, target, timeoutMs);
    if (system.ok && system.routes.some((route) => route.kind === 'proxy')) {
      const reason = withNotes(`${systemLabelOf(environment)} returned ${quotePacAnswer(system.answer)}`, [...system.notes, ...(await described)]);
      return decided('system', withCredentials(system.routes, proxyAuth, 'on-challenge'), reason);
    }
    systemSummary = withNotes(
      system.ok ? `${systemLabelOf(environment)} say DIRECT` : `${systemLabelOf(environment)} could not be used (${system.failure.message})`,
      await described,
    );
  }
  const fromEnv = resolveFromEnvironment(targetUrl, environment.env);
  const reason = systemSummary === undefined ? fromEnv.reason : `${systemSummary}; ${fromEnv.reason}`;
  return decided('env', withCredentials([fromEnv.route], proxyAuth, 'on-challenge'), reason);
}

/**
 * Auto where the host reads the OS settings itself (CLI, web host): a proxy variable decides
 * when one is set (even when NO_PROXY then sends the host straight), else the system
 * settings, else DIRECT. Settings that cannot be read or used do not stop the connection in
 * this mode: the reason says so and it goes DIRECT.
 */
async function resolveAutoFromSettings(
  systemProxy: SystemProxy,
  target: URL,
  targetUrl: string,
  proxyAuth: ProxyCredentials | undefined,
  environment: ResolveEnvironment,
  timeoutMs: number,
): Promise<ResolvedRoutes> {
  const fromEnv = resolveFromEnvironment(targetUrl, environment.env);
  if (fromEnv.variable !== undefined) {
    return decided('env', withCredentials([fromEnv.route], proxyAuth, 'on-challenge'), fromEnv.reason);
  }
  const system = await readSystem(systemProxy, target, timeoutMs);
  if (!system.ok) {
    return decided('system', [{ kind: 'direct' }], `${fromEnv.reason}; ${system.failure.message.replace(/\.$/, '')}; DIRECT`);
  }
  const reason = [fromEnv.reason, ...system.steps].join('; ');
  // Nothing to read (no desktop settings): DIRECT as before, and the reason says why.
  if (!system.settingsRead) return decided('env', [{ kind: 'direct' }], reason);
  return decided('system', withCredentials(system.routes, proxyAuth, 'on-challenge'), reason);
}

type SettingsAnswer = { ok: true; routes: Route[]; steps: string[]; settingsRead: boolean } | { ok: false; failure: NetFailure };

/**
 * What the OS settings say ("GNOME proxy settings: manual, https-proxy proxy.corp:8080"), to
 * go after Chromium's answer in the desktop app; nothing when they cannot be read.
 */
async function settingsSteps(environment: ResolveEnvironment, target: URL, timeoutMs: number): Promise<string[]> {
  if (environment.systemProxy === undefined) return [];
  const read = await readSystem(environment.systemProxy, target, timeoutMs, true);
  return read.ok && read.settingsRead ? read.steps : [];
}

/** The OS settings' routes and steps; a reader that breaks is a SYSTEM_PROXY_FAILED, never a crash. */
async function readSystem(systemProxy: SystemProxy, target: URL, timeoutMs: number, settingsOnly = false): Promise<SettingsAnswer> {
  try {
    const query = { target, pacUrl: resolverUrl(target), pacHost: resolverHost(target), timeoutMs };
    const answer = await systemProxy(settingsOnly ? { ...query, settingsOnly } : query);
    return { ok: true, routes: answer.routes, steps: answer.steps, settingsRead: answer.settingsRead };
  } catch (error) {
    if (error instanceof NetFailure) return { ok: false, failure: error };
    return {
      ok: false,
      failure: NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', { causeMessage: errorMessage(error) }, {
        message: `The system proxy settings could not be read: ${errorMessage(error).slice(0, 300)}.`,
      }),
    };
  }
}

type SystemAnswer =
  | { ok: true; answer: string; routes: Route[]; notes: string[] }
  | { ok: false; failure: NetFailure };

async function askSystem(resolver: (url: string) => Promise<string>, target: URL, timeoutMs: number): Promise<SystemAnswer> {
  const deadline = new Deadline(timeoutMs);
  let answer: unknown;
  try {
    // A resolver that throws synchronously is as broken as one that rejects.
    const pending = Promise.resolve().then(() => resolver(resolverUrl(target)));
    answer = await raceDeadline(pending, deadline, () =>
      NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', { timeoutMs }, {
        message: `The system proxy settings did not answer within ${timeoutMs} ms.`,
      }),
    );
  } catch (error) {
    if (error instanceof NetFailure) return { ok: false, failure: error };
    return {
      ok: false,
      failure: NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', { causeMessage: errorMessage(error) }, {
        message: `The system proxy settings could not be read: ${errorMessage(error).slice(0, 300)}.`,
      }),
    };
  }
  const parsed = parsePacAnswer(answer);
  if (!parsed.ok) {
    return {
      ok: false,
      failure: NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', {}, {
        message: `The system proxy settings returned something that is not a proxy list: ${parsed.problem}.`,
      }),
    };
  }
  return { ok: true, answer: typeof answer === 'string' ? answer : '', routes: parsed.routes, notes: parsed.notes };
}

/**
 * The URL a PAC script or the system resolver sees. Browsers resolve a WebSocket's proxy as
 * for the http:// or https:// URL of the same place (PAC scripts test for "http:"/"https:"),
 * and give PAC scripts only the origin of an https:// URL. Credentials never go along.
 */
export function resolverUrl(target: URL): string {
  const url = new URL(target.href);
  url.username = '';
  url.password = '';
  url.hash = '';
  const secure = target.protocol === 'wss:';
  const path = secure ? '/' : `${url.pathname}${url.search}`;
  return `${secure ? 'https' : 'http'}://${url.host}${path}`;
}

/** The host as PAC scripts get it: an IPv6 address without its brackets. */
function resolverHost(target: URL): string {
  const host = target.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The connection's proxy credentials on each proxy route that has none of its own. For a proxy
 * set by hand they may go with the first CONNECT (only when the sign-in is set to Basic, or
 * NTLM's NEGOTIATE); for one that Auto, PAC, the system or the environment chose, only once that
 * proxy asks (see ProxyEndpoint.credentialsOnChallenge).
 */
function withCredentials(routes: Route[], proxyAuth: ProxyCredentials | undefined, when: 'first-connect' | 'on-challenge'): Route[] {
  const domain = proxyAuth?.domain !== undefined && proxyAuth.domain !== '' ? { domain: proxyAuth.domain } : {};
  const withDomain = routes.map((route): Route => (route.kind === 'proxy' && route.proxy.username !== undefined ? { kind: 'proxy', proxy: { ...route.proxy, ...domain } } : route));
  if (proxyAuth === undefined || proxyAuth.username === '') return withDomain;
  const onChallenge = when === 'on-challenge' ? { credentialsOnChallenge: true } : {};
  return withDomain.map((route) =>
    route.kind === 'proxy' && route.proxy.username === undefined
      ? { kind: 'proxy', proxy: { ...route.proxy, username: proxyAuth.username, password: proxyAuth.password, ...domain, ...onChallenge } }
      : route,
  );
}

function withNotes(reason: string, notes: string[]): string {
  return notes.length === 0 ? reason : `${reason}; ${notes.join('; ')}`;
}

function decided(source: ProxySource, routes: Route[], reason: string): ResolvedRoutes {
  return { decision: { source, candidates: routes.map(routeToCandidate), reason }, routes };
}
