// Types for electron-runtime.mjs, so TypeScript callers (the Electron end-to-end test) can use it.
export declare const electronPackageDir: string;
/** The absolute path of the Electron executable, or null when the runtime is not installed. */
export declare function findElectronRuntime(): string | null;
