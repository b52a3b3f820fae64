#!/usr/bin/env node
// Last step of `npm run build`: bundles the CLI (src/main.ts, every commands/**.ts, @oclif/core, and the lazily
// imported undici, inquirer, simple-git... as split chunks) into dist/bundle/ with esbuild. Loading a few large
// files instead of hundreds of small ones is most of the start-up time saved. bin/run.js uses the bundle only
// while it is newer than dist/src/main.js and oclif.manifest.json, so `tsc && oclif manifest` alone still works.
// The local controller is not bundled: `deis local:start` runs dist/src/controller/daemon.js.
import {build} from 'esbuild'
import {readdirSync, rmSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = join(root, 'dist', 'bundle')
// Native addons and what only development or the controller needs stay ordinary imports.
const EXTERNAL = ['better-sqlite3', 'cpu-features', 'keytar', 'ssh2', 'typescript', 'ws']
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function commandFiles(dir) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return commandFiles(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })
}

// oclif's ids for the "pattern" layout: commands/apps/index.ts is `apps`, commands/apps/create.ts `apps:create`.
const files = commandFiles(join(root, 'commands')).sort()
const ids = files.map(f => relative(join(root, 'commands'), f).replace(/\.ts$/, '').replace(/(^|\/)index$/, '').split('/').join(':'))

const entries = {
  // oclif's "explicit" command discovery reads this export (see the pjson override in main below).
  commands: [...files.map((f, i) => `import C${i} from ${JSON.stringify(f)}`), `export const COMMANDS = {${ids.map((id, i) => `${JSON.stringify(id)}: C${i}`).join(', ')}}`].join('\n'),
  main: `
    import {readFileSync} from 'node:fs'
    import {fileURLToPath} from 'node:url'
    import {main} from ${JSON.stringify(join(root, 'src', 'main.ts'))}
    export async function run(argv) {
      const root = fileURLToPath(new URL('../..', import.meta.url))
      const pjson = JSON.parse(readFileSync(root + 'package.json', 'utf8'))
      pjson.oclif.commands = {strategy: 'explicit', target: './dist/bundle/commands.js', identifier: 'COMMANDS'}
      await main(argv, {root, pjson})
    }`,
}

// undici's index.js loads everything (fetch, cookies, mocks, caches, zlib): about 90 ms of CPU at start-up. The CLI
// uses request, Agent, EnvHttpProxyAgent and (for `logs -f`) WebSocket, so the bundle imports just those files.
const undiciSlim = `
const util = require('undici/lib/core/util')
const api = require('undici/lib/api')
const {getGlobalDispatcher} = require('undici/lib/global')
// as undici's index.js does: every dispatcher gets request/stream/pipeline/connect/upgrade (proxies use connect)
Object.assign(require('undici/lib/dispatcher/dispatcher').prototype, api)
exports.Agent = require('undici/lib/dispatcher/agent')
exports.EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent')
// as undici's index.js wraps api.request (makeDispatcher), for a URL and options
exports.request = (url, opts = {}) => {
  const u = util.parseURL(url)
  const {dispatcher = getGlobalDispatcher()} = opts
  const path = u.search ? u.pathname + u.search : u.pathname
  return api.request.call(dispatcher, {...opts, origin: u.origin, path, method: opts.method || (opts.body ? 'PUT' : 'GET')})
}
let WebSocket
const load = () => (WebSocket ??= require('undici/lib/web/websocket/websocket').WebSocket)
exports.WebSocket = new Proxy(class {}, {construct: (_, args) => new (load())(...args), get: (_, key) => load()[key]})
`
entries['undici-slim'] = undiciSlim
// undici loads node:http2 at start-up for its constants although the CLI never speaks HTTP/2 (~15 ms): undici gets
// the constants, copied from this Node at build time, and node:http2 itself only if it ever connects.
entries['http2-lazy'] = `
module.exports = {constants: ${JSON.stringify((await import('node:http2')).constants)}, connect: (...args) => require('node:http2').connect(...args)}
`

const plugin = {
  name: 'deis-bundle',
  setup(b) {
    b.onResolve({filter: /^deis:/}, a => ({path: a.path.slice('deis:'.length), namespace: 'deis'}))
    b.onLoad({filter: /.*/, namespace: 'deis'}, a => ({contents: entries[a.path], resolveDir: root, loader: a.path === 'main' ? 'ts' : 'js'}))
    b.onResolve({filter: /^(node:)?http2$/}, a => (/[/\\]undici[/\\]/.test(a.importer) ? {path: 'http2-lazy', namespace: 'deis'} : undefined))
    // esbuild gives a dynamically imported CommonJS chunk (undici, @oclif/core, dotenv) only a default export;
    // this shim re-exports its names, read from the real module at build time.
    b.onResolve({filter: /^[^./]/}, a => {
      if (a.kind !== 'dynamic-import' || a.path.startsWith('node:') || EXTERNAL.includes(a.path)) return undefined
      return {path: a.path, namespace: 'dynamic'}
    })
    b.onLoad({filter: /.*/, namespace: 'dynamic'}, async a => {
      if (a.path === 'undici') {
        const contents = "import slim from 'deis:undici-slim'\nexport const {Agent, EnvHttpProxyAgent, request, WebSocket} = slim\n"
        return {contents, resolveDir: root, loader: 'js'}
      }
      const mod = await import(a.path)
      const names = Object.keys(mod).filter(k => k !== 'default' && IDENTIFIER.test(k))
      const contents = [
        `import * as ns from ${JSON.stringify(a.path)}`,
        `export const {${names.join(', ')}} = ns`,
        'default' in mod ? 'export default ns.default' : '',
      ].join('\n')
      return {contents, resolveDir: root, loader: 'js'}
    })
  },
}

rmSync(outdir, {recursive: true, force: true})
await build({
  entryPoints: {commands: 'deis:commands', main: 'deis:main'},
  plugins: [plugin],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  external: EXTERNAL,
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS code inside an ES module bundle still calls require() for Node built-ins.
  banner: {js: "import {createRequire as __deisRequire} from 'node:module';const require=__deisRequire(import.meta.url);"},
  logLevel: 'warning',
})
