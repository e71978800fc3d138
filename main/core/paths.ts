import { homedir } from 'node:os'
import { join } from 'node:path'

/** The database file name inside the data folder. */
export const DB_FILE_NAME = 'workbench.sqlite'

/** Environment variable that overrides the data folder (browser host and tests). */
export const DATA_DIR_ENV = 'NEURAL_WORKBENCH_DATA_DIR'

/** The per-user data folder the browser host uses when none is given (Electron uses its userData). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env[DATA_DIR_ENV]) return env[DATA_DIR_ENV] as string
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Neural Workbench')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Neural Workbench')
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'neural-workbench')
}
