/** Options the browser host accepts on its command line. */
export interface HostArgs {
  port: number
  host: string
  token?: string
  dataDir?: string
  staticDir?: string
  help: boolean
}

/** Usage text for `npm run host -- --help`. */
export const HOST_USAGE = `Usage: node out/main/host.js [--port N] [--host 127.0.0.1] [--token T] [--data-dir DIR] [--static-dir DIR]
  --port N        port to listen on (default: a free one)
  --host ADDR     interface to bind (default 127.0.0.1; anything else exposes the workbench to your network)
  --token T       fixed access token (default: a new random one each start)
  --data-dir DIR  folder holding workbench.sqlite (default: NEURAL_WORKBENCH_DATA_DIR or your user data folder)`

/** Parses argv (without node and script); throws an Error whose message names the bad flag. */
export function parseHostArgs(argv: readonly string[]): HostArgs {
  const out: HostArgs = { port: 0, host: '127.0.0.1', help: false }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined]
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined || v === '') throw new Error(`${name} needs a value`)
      return v
    }
    switch (name) {
      case '--port': {
        const p = Number(value())
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`--port must be an integer 0-65535`)
        out.port = p
        break
      }
      case '--host':
        out.host = value()
        break
      case '--token':
        out.token = value()
        break
      case '--data-dir':
        out.dataDir = value()
        break
      case '--static-dir':
        out.staticDir = value()
        break
      case '--help':
      case '-h':
        out.help = true
        break
      default:
        throw new Error(`unknown option ${flag}`)
    }
  }
  return out
}
