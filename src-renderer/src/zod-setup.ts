/**
 * Imported by main.ts before anything that uses zod. zod compiles its object checks with
 * `new Function` where it may; the page's Content-Security-Policy forbids that, so zod's probe
 * would only log a refused `eval` to the console and fall back anyway. Say so up front.
 */
import { z } from 'zod';

z.config({ jitless: true });
