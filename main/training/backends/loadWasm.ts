// Loads the tfjs wasm backend under Node (worker thread or main) from the installed package files.
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { registerWasmTrainingKernels } from './wasmKernels'

const nodeRequire = createRequire(__filename)

/** The folder holding the wasm binaries of @tensorflow/tfjs-backend-wasm, with a trailing separator. */
export function wasmBinaryDir(): string {
  const pkg = nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')
  return join(dirname(pkg), 'dist') + sep
}

let pathsSet = false

/** Makes 'wasm' the active backend with our training kernels; throws with the loader's message on failure. */
export async function useWasmBackend(): Promise<void> {
  registerWasmTrainingKernels()
  if (!pathsSet) {
    // Under Node the emscripten loader reads the .wasm with fs from this prefix.
    setWasmPaths(wasmBinaryDir())
    pathsSet = true
  }
  const ok = await tf.setBackend('wasm')
  if (!ok) throw new Error('the wasm backend failed to initialise (tf.setBackend returned false)')
}
