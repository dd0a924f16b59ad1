// Lint: typescript-eslint recommended + the layering rules that keep the three environments apart
// (shared/: no Node, no DOM, nothing of ours outside shared/; renderer/: DOM only, imports shared/; electron/: Node).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'stream', 'zlib', 'worker_threads', 'http', 'net', 'url', 'util'];
const nodePackages = ['better-sqlite3', 'electron', 'yauzl', 'tar-stream', 'yazl'];

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
);
