/**
 * The variable the CLI reads the proxy's user:password from (cli/proxy-user-source.ts), here so
 * Copy as command (which the renderer runs) names the same one.
 */
export const PROXY_USER_ENV = 'TUNNELSCOPE_PROXY_USER';
