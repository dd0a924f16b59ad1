/** Types for scripts/build-node.mjs (the Node side's esbuild build), imported by tests. */
export declare const ROOT: string;
export declare const NODE_ENTRIES: Record<'cli' | 'import-worker' | 'main' | 'preload', string>;
export declare const NODE_EXTERNALS: string[];
export declare function buildNode(
  names?: ('cli' | 'import-worker' | 'main' | 'preload')[],
  logLevel?: 'silent' | 'error' | 'warning' | 'info',
): Promise<void>;
