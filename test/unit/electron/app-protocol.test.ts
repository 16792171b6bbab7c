// app://tunnelscope/ serves out/renderer only, with the right MIME types and the CSP on HTML.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));
vi.mock('electron', () => electron);

const { CONTENT_SECURITY_POLICY, createAppRequestHandler, mimeTypeFor, registerAppScheme, serveAppProtocol } = await import(
  '../../../src-main/electron/app-protocol'
);

const SECRET = 'top secret outside the renderer folder';
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-protocol-'));
const root = path.join(base, 'renderer');
let handler: (request: Request) => Promise<Response>;

beforeAll(() => {
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Tunnelscope</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'assets', 'logo.svg'), '<svg/>');
  fs.writeFileSync(path.join(root, 'assets', 'font.woff2'), 'w');
  fs.writeFileSync(path.join(root, 'assets', 'blob.xyz'), 'x');
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(base, 'renderer-evil.txt'), SECRET);
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  handler = createAppRequestHandler(root);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

async function get(url: string, method = 'GET'): Promise<{ status: number; type: string | null; csp: string | null; body: string }> {
  const response = await handler(new Request(url, { method }));
  return { status: response.status, type: response.headers.get('content-type'), csp: response.headers.get('content-security-policy'), body: await response.text() };
}

describe('app protocol: serving', () => {
  it('serves index.html for the root, with the CSP and nosniff', async () => {
    const response = await handler(new Request('app://tunnelscope/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Tunnelscope</title>');
  });

  it.each([
    ['app://tunnelscope/index.html', 'text/html; charset=utf-8'],
    ['app://tunnelscope/assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['app://tunnelscope/assets/index-abc.css', 'text/css; charset=utf-8'],
    ['app://tunnelscope/assets/logo.svg', 'image/svg+xml'],
    ['app://tunnelscope/assets/font.woff2', 'font/woff2'],
    ['app://tunnelscope/assets/blob.xyz', 'application/octet-stream'],
    ['app://tunnelscope/assets/index-abc.js?v=1#x', 'text/javascript; charset=utf-8'],
  ])('serves %s as %s', async (url, type) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.type).toBe(type);
  });

  it('sends the CSP with HTML only', async () => {
    expect((await get('app://tunnelscope/index.html')).csp).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('app://tunnelscope/assets/index-abc.js')).csp).toBeNull();
  });

  it('answers HEAD without a body', async () => {
    const response = await get('app://tunnelscope/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
  });

  it('knows the MIME types by extension, case-insensitively', () => {
    expect(mimeTypeFor('/x/A.HTML')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/x/app.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('/x/constructor')).toBe('application/octet-stream');
    expect(mimeTypeFor('/x/a.__proto__')).toBe('application/octet-stream');
  });
});

describe('app protocol: refusals', () => {
  it.each([
    ['an encoded ../', 'app://tunnelscope/..%2fsecret.txt', 403],
    ['an encoded ../ deeper', 'app://tunnelscope/assets/..%2f..%2fsecret.txt', 403],
    ['an encoded absolute path', `app://tunnelscope/${encodeURIComponent(path.join(base, 'secret.txt'))}`, 404],
    ['a sibling folder sharing the prefix', 'app://tunnelscope/..%2frenderer-evil.txt', 403],
    ['a symbolic link leading outside', 'app://tunnelscope/assets/link.txt', 403],
    ['dot segments (normalized by the URL parser into the root)', 'app://tunnelscope/../../secret.txt', 404],
    ['encoded dot segments', 'app://tunnelscope/%2e%2e/%2e%2e/secret.txt', 404],
    ['a backslash', 'app://tunnelscope/..%5csecret.txt', 404],
    ['a NUL byte', 'app://tunnelscope/index.html%00.js', 400],
    ['broken percent-encoding', 'app://tunnelscope/%E0%A4%A', 400],
    ['another host', 'app://evil/index.html', 404],
    ['a missing file', 'app://tunnelscope/nope.js', 404],
    ['a folder', 'app://tunnelscope/assets', 404],
    ['a folder with a slash', 'app://tunnelscope/assets/', 404],
  ])('refuses %s', async (_label, url, status) => {
    const response = await get(url);
    expect(response.status).toBe(status);
    expect(response.body).not.toContain(SECRET);
    expect(response.type).toBe('text/plain; charset=utf-8');
  });

  it.each(['POST', 'PUT', 'DELETE'])('refuses %s', async (method) => {
    const response = await handler(new Request('app://tunnelscope/index.html', { method, ...(method === 'DELETE' ? {} : { body: 'x' }) }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('app protocol: the policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it("allows only the app's own scripts: no remote code, no eval, no inline script", () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
  });

  it('connects nowhere but its own origin, embeds nothing, and cannot be framed', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });
});

describe('app protocol: registration', () => {
  it('registers app: as a standard, secure scheme before ready', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
  });

  it('installs the handler for app:', () => {
    serveAppProtocol(root);
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });
});
