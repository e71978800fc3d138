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
          { group: ['**/main/**', '**/main', '**/preload/**'], message: 'The renderer imports only common/ (the contract, the graph, plain shapes and shared rules): main/ and preload/ run under Node or Electron.' },
        ],
      }],
    },
  },
  {
    // Only the Electron entry points may import electron; the core stays runnable under plain Node.
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/window.ts', 'main/ipc/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Core code runs under plain Node too (browser host, tests): keep electron in main/index.ts, main/window.ts and main/ipc/.' }], patterns: [{ group: ['react', 'react-dom', 'zustand'], message: 'No UI code in main/.' }, { group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }] }],
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
    // common/ is compiled into every build (renderer, preload, main, workers): plain TypeScript only,
    // importing nothing from the folders that run somewhere in particular.
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...nodeOnly, 'electron', '@tensorflow/*', 'react', 'react-dom', 'zustand'], message: 'common/ runs in every build (browser, preload, Node): no Node built-ins, native modules, Electron, tfjs or UI.' },
          { group: ['**/main/**', '**/main', '**/preload/**', '**/renderer/**'], message: 'common/ may import only common/: main/, preload/ and renderer/ each run in one place.' },
        ],
      }],
    },
  },
  {
    // The sandboxed preload bundles only the contract from common/.
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/**', '**/renderer/**', ...nodeOnly], message: 'The preload is sandboxed: it may import electron and common/ only.' }] }],
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
