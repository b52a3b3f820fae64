#!/usr/bin/env node
// Last step of `npm run build`: bundles the CLI (src/main.ts, every commands/**.ts, @oclif/core, and the lazily
// imported undici, inquirer, simple-git... as split chunks) into dist/bundle/ with esbuild. Loading a few large
// files instead of hundreds of small ones is most of the start-up time saved. Its last act points
// dist/src/entry.js (what bin/run.js starts) at the bundle; a later plain `tsc` points it back at dist/src.
// The local controller is not bundled: `deis local:start` runs dist/src/controller/daemon.js.
import {build} from 'esbuild'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = join(root, 'dist', 'bundle')
// Native addons and what only development or the controller needs stay ordinary imports.
const EXTERNAL = ['better-sqlite3', 'cpu-features', 'keytar', 'ssh2', 'typescript', 'ws']
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function sourceFiles(dir, ext = '.ts') {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path, ext)
    return path.endsWith(ext) && !path.endsWith('.d.ts') ? [path] : []
  })
}

// oclif's ids for the "pattern" layout: commands/apps/index.ts is `apps`, commands/apps/create.ts `apps:create`.
const files = sourceFiles(join(root, 'commands')).sort()
const ids = files.map(f =>
  relative(join(root, 'commands'), f)
    .replace(/\.ts$/, '')
    .replace(/(^|\/)index$/, '')
    .split('/')
    .join(':'),
)

// oclif hooks named in package.json (`"oclif": {"hooks": {"command_not_found": "./dist/src/hooks/x.js"}}`) are bundled too:
// each becomes an export of dist/bundle/hooks.js that imports its source (src/hooks/x.ts) on first use, and the bundle
// hands oclif the same table with {target, identifier} entries, oclif's own form for a hook that is a named export.
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const hookSources = []
const bundledHooks = Object.fromEntries(
  Object.entries(pjson.oclif?.hooks ?? {}).map(([event, value]) => [
    event,
    [value].flat().map(hook => {
      const {target, identifier = 'default'} = typeof hook === 'string' ? {target: hook} : hook
      const source = join(root, target.replace(/^(\.\/)?dist\//, '').replace(/\.js$/, '.ts'))
      if (!existsSync(source)) throw new Error(`bin/bundle.js: the ${event} hook ${target} has no source at ${source}`)
      hookSources.push({source, identifier})
      return {target: './dist/bundle/hooks.js', identifier: `HOOK_${hookSources.length - 1}`}
    }),
  ]),
)

const entries = {
  // as oclif finds a hook in its module: the export named, else (for 'default') the first function exported
  hooks: [
    "const find = (mod, id) => mod[id] ?? (id === 'default' ? Object.values(mod).find(v => typeof v === 'function') : undefined)",
    ...hookSources.map(
      ({source, identifier}, i) =>
        `export async function HOOK_${i}(opts) { return find(await import(${JSON.stringify(source)}), ${JSON.stringify(identifier)}).call(this, opts) }`,
    ),
  ].join('\n'),
  // oclif's "explicit" command discovery reads this export (see the pjson override in main below).
  // Each command is its own chunk, imported when it runs: oclif's explicit discovery only needs something with a
  // static run(argv, config) per id (help and the command list come from oclif.manifest.json), so every entry is a
  // stub that imports its command, gives it the id and plugin oclif gave the stub, and runs it. It does what
  // Command.run does except reloading the whole Config it was handed (oclif's run() already loaded it and cached it
  // for its error handler): that second Config.load cost every command ~1 ms.
  commands: [
    'const lazy = load => { const stub = {async run(argv, config) { const C = (await load()).default; C.id = stub.id; C.plugin = stub.plugin; return new C(argv, config)._run() }}; return stub }',
    `export const COMMANDS = {${ids.map((id, i) => `${JSON.stringify(id)}: lazy(() => import(${JSON.stringify(files[i])}))`).join(', ')}}`,
  ].join('\n'),
  main: `
    import {readFileSync} from 'node:fs'
    import {fileURLToPath} from 'node:url'
    import {main} from ${JSON.stringify(join(root, 'src', 'main.ts'))}
    export async function run(argv) {
      const root = fileURLToPath(new URL('../..', import.meta.url))
      const pjson = JSON.parse(readFileSync(root + 'package.json', 'utf8'))
      pjson.oclif.commands = {strategy: 'explicit', target: './dist/bundle/commands.js', identifier: 'COMMANDS'}
      pjson.oclif.hooks = ${JSON.stringify(bundledHooks)}
      // no oclif plugin manager ships with deis, so there are no user or dev plugins to look for
      await main(argv, {root, pjson, userPlugins: false, devPlugins: false})
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
// undiciSlim and http2-lazy stand in for code of undici's: the build fails when that code changes, so an undici
// upgrade cannot leave the bundle doing something else than undici does.
const undiciRoot = dirname(createRequire(import.meta.url).resolve('undici/package.json'))
const UNDICI_MIRRORED = [
  'Object.assign(Dispatcher.prototype, api)',
  'const { agent, dispatcher = getGlobalDispatcher() } = opts',
  "path: url.search ? `${url.pathname}${url.search}` : url.pathname,\n      method: opts.method || (opts.body ? 'PUT' : 'GET')",
]
const undiciIndex = readFileSync(join(undiciRoot, 'index.js'), 'utf8')
for (const code of UNDICI_MIRRORED) {
  if (!undiciIndex.includes(code)) throw new Error(`bin/bundle.js: undici's index.js no longer contains ${JSON.stringify(code)}; update undiciSlim to match it`)
}
for (const file of sourceFiles(join(undiciRoot, 'lib'), '.js')) {
  const code = readFileSync(file, 'utf8')
  if (!/require\('(node:)?http2'\)/.test(code)) continue
  const used = new Set([...code.matchAll(/\bhttp2\.(\w+)/g)].map(m => m[1]))
  for (const name of used) if (name !== 'connect' && name !== 'constants') throw new Error(`bin/bundle.js: ${file} uses http2.${name}, which http2-lazy does not provide`)
}

// undici loads node:http2 at start-up for its constants although the CLI never speaks HTTP/2 (~15 ms): undici gets
// the constants, copied from this Node at build time, and node:http2 itself only if it ever connects.
entries['http2-lazy'] = `
module.exports = {constants: ${JSON.stringify((await import('node:http2')).constants)}, connect: (...args) => require('node:http2').connect(...args)}
`

// @oclif/core and undici are most of the JavaScript a command runs, and compiling it is most of their cost. Node 20
// has no compile cache for modules, but vm.Script takes V8's cachedData: so these two are bundled as CommonJS scripts
// (dist/bundle/oclif.cjs, undici.cjs) that this loader runs from a V8 code cache written on first use, named after
// the script's content hash and V8's version (a rebuilt script or another Node never meets an old cache). The cache
// goes beside the script, or, where the package is not the user's to write (`sudo npm install -g`), into
// $XDG_CACHE_HOME/deis (~/.cache/deis); where neither can be written, the command just runs without one.
entries['v8-cache'] = `
import vm from 'node:vm'
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
export function loadCached(name, hash) {
  const file = fileURLToPath(new URL('./' + name, import.meta.url))
  const cacheName = name + '.' + hash + '.' + process.versions.v8 + '.v8cache'
  const userDir = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'deis')
  let cachedData
  try { cachedData = readFileSync(join(dirname(file), cacheName)) } catch {
    try { cachedData = readFileSync(join(userDir(), cacheName)) } catch {}
  }
  const source = '(function (exports, require, module, __filename, __dirname, __deisImport) {' + readFileSync(file, 'utf8') + '\\n})'
  const script = new vm.Script(source, {filename: file, cachedData})
  const module = {exports: {}}
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), specifier => import(specifier))
  if (!cachedData || script.cachedDataRejected) {
    // at exit, so the cache also holds the functions this run compiled
    process.once('exit', () => {
      const data = script.createCachedData()
      for (const dir of [dirname(file), userDir()]) {
        const tmp = join(dir, cacheName + '.' + process.pid)
        try {
          if (dir !== dirname(file)) mkdirSync(dir, {recursive: true, mode: 0o700})
          writeFileSync(tmp, data)
          renameSync(tmp, join(dir, cacheName))
          return
        } catch {}
      }
    })
  }
  return module.exports
}
`

// Start-up work in @oclif/core that the bundle does not need, patched out of its source (the build fails when a
// pattern is gone, so an oclif upgrade cannot drop a patch silently):
// - the root plugin sorts its command ids with localeCompare, whose first call builds ICU's collator (~6 ms); for ids
//   of [a-z:-] (every deis id) code-unit order is the same order, so other strings still go to localeCompare;
// - checkNodeVersion loads semver to test @oclif/core's own engines (node >= 18), which package.json's engines
//   already exceed; in the bundle it cannot even find @oclif/core's package.json, so it only cost the semver load.
const OCLIF_PATCHES = {
  'config/plugin.js': [
    [
      '.sort((a, b) => a.id.localeCompare(b.id))',
      '.sort((a, b) => (/^[a-z:-]*$/.test(a.id) && /^[a-z:-]*$/.test(b.id) ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.id.localeCompare(b.id)))',
    ],
  ],
  'index.js': [['\ncheckNodeVersion();\n', '\n']],
}
const patched = new Set()
const oclifLib = join(dirname(createRequire(import.meta.url).resolve('@oclif/core')), '/')
const patchOclif = {
  name: 'oclif-patches',
  setup: b =>
    b.onLoad({filter: /[/\\]@oclif[/\\]core[/\\]lib[/\\].*\.js$/}, a => {
      const patches = OCLIF_PATCHES[relative(oclifLib, a.path).split('\\').join('/')]
      if (!patches) return undefined
      patched.add(a.path)
      let contents = readFileSync(a.path, 'utf8')
      for (const [from, to] of patches) {
        if (!contents.includes(from)) throw new Error(`bin/bundle.js: ${a.path} no longer contains ${JSON.stringify(from)}`)
        contents = contents.replace(from, to)
      }
      return {contents, loader: 'js'}
    }),
}

// Node built-ins that @oclif/core requires at load time but calls only in functions (readline for stdin args, perf_hooks
// for OCLIF performance markers, child_process for Windows shells): each is required on first property access.
const LAZY_BUILTINS = /^node:(child_process|perf_hooks|readline)$/

rmSync(outdir, {recursive: true, force: true})
const cjs = {
  oclif: {entryPoints: [createRequire(import.meta.url).resolve('@oclif/core')]},
  undici: {stdin: {contents: undiciSlim, resolveDir: root, loader: 'js'}},
}
const hashes = {}
for (const [name, opts] of Object.entries(cjs)) {
  const outfile = join(outdir, `${name}.cjs`)
  await build({
    ...opts,
    plugins: [
      patchOclif,
      {
        name: 'http2-lazy',
        setup: b => {
          b.onResolve({filter: /^deis:/}, a => ({path: a.path.slice('deis:'.length), namespace: 'deis'}))
          b.onLoad({filter: /.*/, namespace: 'deis'}, a => ({contents: entries[a.path], resolveDir: root, loader: 'js'}))
          b.onResolve({filter: /^(node:)?http2$/}, a => (/[/\\]undici[/\\]/.test(a.importer) ? {path: 'http2-lazy', namespace: 'deis'} : undefined))
          b.onResolve({filter: LAZY_BUILTINS}, a => (/[/\\]@oclif[/\\]core[/\\]/.test(a.importer) ? {path: `lazy:${a.path}`, namespace: 'lazy-builtin'} : undefined))
          b.onLoad({filter: /.*/, namespace: 'lazy-builtin'}, a => ({
            contents: `let m\nmodule.exports = new Proxy({}, {get: (_, k) => (m ??= require(${JSON.stringify(a.path.slice(5))}))[k]})`,
            loader: 'js',
          }))
        },
      },
    ],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile,
    external: EXTERNAL,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  })
  // A script run by vm gets no import() on Node 20 (without --experimental-vm-modules): the loader passes one in.
  const code = readFileSync(outfile, 'utf8').replace(/\bawait import\(/g, 'await __deisImport(')
  writeFileSync(outfile, code)
  hashes[name] = createHash('sha256').update(code).digest('hex').slice(0, 16)
}
if (patched.size !== Object.keys(OCLIF_PATCHES).length) throw new Error(`bin/bundle.js: @oclif/core no longer bundles all of ${Object.keys(OCLIF_PATCHES).join(', ')}`)
// the ES module that the rest of the bundle imports instead of the package: the script's exports by name
async function cachedModule(name, names) {
  const load = `import {loadCached} from 'deis:v8-cache'\nconst ns = loadCached(${JSON.stringify(`${name}.cjs`)}, ${JSON.stringify(hashes[name])})\n`
  return `${load}export const {${names.join(', ')}} = ns\nexport default ns\n`
}

const plugin = {
  name: 'deis-bundle',
  setup(b) {
    b.onResolve({filter: /^(@oclif\/core|undici)$/}, a => ({path: a.path, namespace: 'cached'}))
    b.onLoad({filter: /.*/, namespace: 'cached'}, async a => {
      const names =
        a.path === 'undici' ? ['Agent', 'EnvHttpProxyAgent', 'request', 'WebSocket'] : Object.keys(await import(a.path)).filter(k => k !== 'default' && IDENTIFIER.test(k))
      return {contents: await cachedModule(a.path === 'undici' ? 'undici' : 'oclif', names), resolveDir: root, loader: 'js'}
    })
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
      const mod = await import(a.path)
      const names = Object.keys(mod).filter(k => k !== 'default' && IDENTIFIER.test(k))
      const contents = [`import * as ns from ${JSON.stringify(a.path)}`, `export const {${names.join(', ')}} = ns`, 'default' in mod ? 'export default ns.default' : ''].join(
        '\n',
      )
      return {contents, resolveDir: root, loader: 'js'}
    })
  },
}

await build({
  entryPoints: {commands: 'deis:commands', hooks: 'deis:hooks', main: 'deis:main'},
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
// last, so a failed bundle never becomes what bin/run.js starts
writeFileSync(join(root, 'dist', 'src', 'entry.js'), "// written by bin/bundle.js: start the esbuild bundle\nexport {run} from '../bundle/main.js'\n")
