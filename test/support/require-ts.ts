/**
 * Vitest setup: `require()` of a TypeScript module works in tests as it does in the build. Source code loads some
 * modules with `require` inside a function, so that the bundle (esbuild) initialises them only when used — e.g. the
 * rules file's schema, off the import worker's start (analysis/detections/index.ts). Vitest transforms `import`s
 * only; Node's own `require` cannot read TypeScript, so tsx's CommonJS hook is registered for it.
 */
import { register } from 'tsx/cjs/api';

register();
