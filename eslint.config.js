// Lint: typescript-eslint recommended + the layering rules that keep the three environments apart
// (shared/: no Node, no DOM, nothing of ours outside shared/; renderer/: DOM only, imports shared/; electron/: Node)
// and the layers inside electron/ (importers -> no analysis, no CLI; queries -> no importers; main, serve, api -> no
// CLI). The type-checker enforces the environments too (tsconfig.{shared,renderer,electron}.json); the globals rules
// below say it again at lint time. test/unit/layer-rules.test.ts proves each rule fails on a probe.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'stream', 'zlib', 'worker_threads', 'http', 'net', 'url', 'util'];
const nodePackages = ['better-sqlite3', 'electron', 'yauzl', 'tar-stream', 'yazl'];
const nodeGlobals = ['Buffer', 'process', 'require', 'module', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
  name,
  message: 'a Node global: not available here (use shared/ helpers or the API contract).',
}));
const domGlobals = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'self'].map((name) => ({
  name,
  message: 'a DOM global: shared/ runs in Node too.',
}));
/**
 * `no-restricted-imports` for one layer inside electron/: `groups` names the layers it must not reach. A type-only
 * import carries no code and is allowed: a layer may name the type of a hook another layer injects into it (the
 * import writer's per-call network analysis, given to it by run-import).
 */
const layer = (files, ignores, groups, message) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: groups, message, allowTypeImports: true }] }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['electron/**/*.ts', 'scripts/**/*.{ts,mjs,js}', 'test/**/*.ts', 'bin/**/*.cjs', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ['bin/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...domGlobals, ...nodeGlobals],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...nodeBuiltins, ...nodePackages], message: 'shared/ is pure: no Node modules.' },
            { group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom', 'd3', 'd3-*'], message: 'shared/ imports nothing outside shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-globals': ['error', ...nodeGlobals],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...nodeBuiltins, ...nodePackages], message: 'renderer/ runs in the DOM: no Node modules.' },
            { group: ['**/electron/**'], message: 'renderer/ talks to the API contract in shared/, never to electron/.' },
          ],
        },
      ],
    },
  },
  // Layers inside electron/. The import job's entry points (run-import.ts, worker.ts, calls-worker.ts) compose
  // importing with the analysis passes that finish a case, so they may reach analysis; the importers may not.
  layer(
    ['electron/import/**/*.ts'],
    ['electron/import/run-import.ts', 'electron/import/worker.ts', 'electron/import/calls-worker.ts'],
    ['**/analysis', '**/analysis/**', '**/cli', '**/cli/**'],
    'importers read inputs into a case: they reach neither the analysis passes nor the CLI.',
  ),
  layer(['electron/queries/**/*.ts'], [], ['**/import', '**/import/**'], 'queries read a finished case: they never reach the importers.'),
  layer(
    ['electron/main/**/*.ts', 'electron/serve/**/*.ts', 'electron/api/**/*.ts'],
    [],
    ['**/cli', '**/cli/**'],
    'the desktop app, serve and the API never reach the CLI (put what both need in electron/db, import or queries).',
  ),
);
