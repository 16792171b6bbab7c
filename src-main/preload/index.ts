/**
 * Preload: runs in the sandboxed renderer with contextIsolation. It will expose the named
 * contract methods as `window.tunnelscope` (desktop-app issue); nothing is exposed yet.
 */
export {};
