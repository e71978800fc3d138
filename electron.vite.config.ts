import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Rollup } from 'vite'

// zod's sources carry comments rollup cannot place; the warning is noise, everything else is shown.
const onwarn: NonNullable<Rollup.RollupOptions['onwarn']> = (warning, warn) => {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning)
}

// main/ holds two Node entries: the Electron main process and the browser host; both share the core.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        onwarn,
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          host: resolve(__dirname, 'main/host/cli.ts'),
          trainWorker: resolve(__dirname, 'main/training/trainWorkerEntry.ts'),
          importWorker: resolve(__dirname, 'main/datasets/importWorkerEntry.ts'),
          datasetHelper: resolve(__dirname, 'main/datasets/helper/entry.ts'),
          csvPartHelper: resolve(__dirname, 'main/datasets/helper/csvPartEntry.ts'),
          readWorker: resolve(__dirname, 'main/runs/reader/workerEntry.ts'),
          replicaWorker: resolve(__dirname, 'main/training/backends/parallel/replicaWorkerEntry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // The sandboxed preload cannot require() packages, so zod is bundled into it.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: { onwarn, input: { index: resolve(__dirname, 'preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { onwarn, input: resolve(__dirname, 'renderer/index.html') },
    },
  },
})
