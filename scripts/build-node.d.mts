/** Types for scripts/build-node.mjs (the Node side's esbuild build), imported by tests. */
export declare const ROOT: string;
export declare const NODE_ENTRIES: Record<'cli' | 'import-worker' | 'main' | 'preload', string>;
export declare const NODE_EXTERNALS: string[];
/** esbuild's options for a Node bundle of the project (add `entryPoints` and `outdir`). */
export declare const NODE_BUNDLE_OPTIONS: {
  outExtension: Record<string, string>;
  bundle: true;
  platform: 'node';
  format: 'cjs';
  target: string;
  external: string[];
};
/** The bundles loaded with V8's code cache (made after their start-up ran). */
export declare const CACHED_ENTRIES: ('cli' | 'import-worker')[];
export declare function buildNode(
  names?: ('cli' | 'import-worker' | 'main' | 'preload')[],
  logLevel?: 'silent' | 'error' | 'warning' | 'info',
): Promise<void>;
