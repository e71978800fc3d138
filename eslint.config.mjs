// Lint: typescript-eslint's recommended rules, React hooks rules, and the layering rules from
// ARCHITECTURE.md enforced as import restrictions.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const nodeOnly = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'better-sqlite3', 'ws', 'sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.bench/**', '.scratch/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'types/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...nodeOnly, 'electron'], message: 'The renderer runs in a browser: no Node built-ins, native modules or Electron.' },
          // Besides the graph module, single pure files (no Node, no tfjs) that hold a rule the renderer applies too.
          { group: ['**/main/*', '!**/main/graph', '!**/main/graph/*', '!**/main/training', '**/main/training/*', '!**/main/training/finalCheckpoint', '!**/main/datasets', '**/main/datasets/*', '!**/main/datasets/csv', '**/main/datasets/csv/*', '!**/main/datasets/csv/typing'], message: 'The renderer may import only the contract (preload/contract), the pure graph module and the listed pure files from main/.' },
        ],
      }],
    },
  },
  {
    // Only the Electron entry points may import electron; the core stays runnable under plain Node.
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/window.ts', 'main/ipc/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Core code runs under plain Node too (browser host, tests): keep electron in main/index.ts, main/window.ts and main/ipc/.' }], patterns: [{ group: ['react', 'react-dom', 'zustand'], message: 'No UI code in main/.' }] }],
    },
  },
  {
    // Every connection goes through openSqlite, which loads the binding built for the running runtime (Electron's in the desktop app).
    files: ['main/**/*.ts'],
    ignores: ['main/store/nativeBinding.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'better-sqlite3', allowTypeImports: true, message: 'Open connections with openSqlite (main/store/nativeBinding.ts), so Electron loads its own binding.' }] }],
    },
  },
  {
    // The graph module is shared with the renderer: pure TypeScript only.
    files: ['main/graph/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...nodeOnly, 'electron', '@tensorflow/*'], message: 'main/graph is imported by the renderer too: keep it pure.' }] }],
    },
  },
  {
    files: ['preload/contract.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...nodeOnly, 'electron'], message: 'The contract is shared by all three builds.' }] }],
    },
  },
  {
    files: ['scripts/**/*.{mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
