#!/usr/bin/env node
// Last step of `npm run build`: bundles the CLI with esbuild into dist/bundle/ as CommonJS scripts, each run by
// dist/src/entry.cjs (which this script writes) from a V8 code cache:
// - cli.cjs: src/main.ts, every commands/**.ts, the oclif hooks and @oclif/core: what every command loads;
// - undici.cjs, prompts.cjs, simple-git.cjs, dotenv.cjs, cli-table3.cjs: each read on its package's first import;
// - tables.cjs: what oclif's explicit command strategy and its hook loader require, the tables cli.cjs set up.
// Node 20 keeps no compile cache for ES modules, and each module costs its own resolve, read, compile and link: a
// tree of ES modules cost `deis apps:list` more than a third of its start-up over `node -e 0`; a few scripts read
// and deserialised from V8's cache cost a fraction of that. The local controller is not bundled: `deis local:start`
// runs dist/src/controller/daemon.js.
import {build} from 'esbuild'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = join(root, 'dist', 'bundle')
const resolve = createRequire(import.meta.url).resolve
// Native addons and what only development or the controller needs stay ordinary require()s.
const EXTERNAL = ['better-sqlite3', 'cpu-features', 'keytar', 'ssh2', 'typescript', 'ws']
// Packages that only some commands import (always with import()): each is a script of its own, so a command that
// never uses one never reads it. undici's entry is undiciSlim below.
const LAZY = {undici: 'undici', prompts: '@inquirer/prompts', 'simple-git': 'simple-git', dotenv: 'dotenv', 'cli-table3': 'cli-table3'}

function sourceFiles(dir, ext = '.ts') {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path, ext)
    return path.endsWith(ext) && !path.endsWith('.d.ts') ? [path] : []
  })
}

/** Fails the build when `code` no longer contains `text`: what the bundle stands in for or patches has changed. */
function mustContain(file, code, text, what) {
  if (!code.includes(text)) throw new Error(`bin/bundle.js: ${file} no longer contains ${JSON.stringify(text)}; ${what}`)
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
// each becomes an entry HOOK_<n> of the tables that imports its source (src/hooks/x.ts) on first use, and the bundle hands
// oclif the same hook table with {target, identifier} entries, oclif's own form for a hook that is a named export.
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const TABLES = './dist/bundle/tables.cjs'
const hookSources = []
const bundledHooks = Object.fromEntries(
  Object.entries(pjson.oclif?.hooks ?? {}).map(([event, value]) => [
    event,
    [value].flat().map(hook => {
      const {target, identifier = 'default'} = typeof hook === 'string' ? {target: hook} : hook
      const source = join(root, target.replace(/^(\.\/)?dist\//, '').replace(/\.js$/, '.ts'))
      if (!existsSync(source)) throw new Error(`bin/bundle.js: the ${event} hook ${target} has no source at ${source}`)
      hookSources.push({source, identifier})
      return {target: TABLES, identifier: `HOOK_${hookSources.length - 1}`}
    }),
  ]),
)

// What cli.cjs runs. oclif's "explicit" command discovery only needs something with a static run(argv, config) per id
// (help and the command list come from oclif.manifest.json), so every command is a stub that imports its command
// (esbuild makes that import() the lazy start of code already in cli.cjs), gives it the id and plugin oclif gave the
// stub, and runs it. It does what Command.run does except reloading the whole Config it was handed (oclif's run()
// already loaded it and cached it for its error handler): that second Config.load cost every command ~1 ms.
// A hook is found in its module as oclif finds one: the export named, else (for 'default') the first function.
const cliEntry = `
import {readFileSync} from 'node:fs'
import {main} from ${JSON.stringify(join(root, 'src', 'main.ts'))}
const lazy = load => { const stub = {async run(argv, config) { const C = (await load()).default; C.id = stub.id; C.plugin = stub.plugin; return new C(argv, config)._run() }}; return stub }
const find = (mod, id) => mod[id] ?? (id === 'default' ? Object.values(mod).find(v => typeof v === 'function') : undefined)
globalThis[Symbol.for('deis.bundle.tables')] = {
  COMMANDS: {${ids.map((id, i) => `${JSON.stringify(id)}: lazy(() => import(${JSON.stringify(files[i])}))`).join(', ')}},
  ${hookSources.map(({source, identifier}, i) => `async HOOK_${i}(opts) { return find(await import(${JSON.stringify(source)}), ${JSON.stringify(identifier)}).call(this, opts) }`).join(',\n  ')}
}
export async function run(argv) {
  const root = __dirname + '/../../'
  const pjson = JSON.parse(readFileSync(root + 'package.json', 'utf8'))
  pjson.oclif.commands = {strategy: 'explicit', target: ${JSON.stringify(TABLES)}, identifier: 'COMMANDS'}
  pjson.oclif.hooks = ${JSON.stringify(bundledHooks)}
  // no oclif plugin manager ships with deis, so there are no user or dev plugins to look for
  await main(argv, {root, pjson, userPlugins: false, devPlugins: false})
}
`

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
const undiciRoot = dirname(resolve('undici/package.json'))
const undiciIndex = readFileSync(join(undiciRoot, 'index.js'), 'utf8')
for (const code of [
  'Object.assign(Dispatcher.prototype, api)',
  'const { agent, dispatcher = getGlobalDispatcher() } = opts',
  "path: url.search ? `${url.pathname}${url.search}` : url.pathname,\n      method: opts.method || (opts.body ? 'PUT' : 'GET')",
]) {
  mustContain(join(undiciRoot, 'index.js'), undiciIndex, code, 'update undiciSlim to match it')
}
for (const file of sourceFiles(join(undiciRoot, 'lib'), '.js')) {
  const code = readFileSync(file, 'utf8')
  if (/\bassert\s*(\.|\[)/.test(code.replace(/\/\/.*$/gm, '')) || /require\('(node:)?assert'\)/.test(code.replace("const assert = require('node:assert')", '')))
    throw new Error(
      `bin/bundle.js: ${file} uses node:assert otherwise than as \`const assert = require('node:assert')\` called as assert(value, message), all that assert-lazy provides`,
    )
  if (!/require\('(node:)?http2'\)/.test(code)) continue
  const used = new Set([...code.matchAll(/\bhttp2\.(\w+)/g)].map(m => m[1]))
  for (const name of used) if (name !== 'connect' && name !== 'constants') throw new Error(`bin/bundle.js: ${file} uses http2.${name}, which http2-lazy does not provide`)
}

// Stand-ins, each a virtual module of namespace 'deis':
const virtual = {
  cli: cliEntry,
  undici: undiciSlim,
  // undici loads node:http2 at start-up for its constants although the CLI never speaks HTTP/2 (~15 ms): undici gets the
  // constants, copied from this Node at build time, and node:http2 itself only if it ever connects.
  'http2-lazy': `module.exports = {constants: ${JSON.stringify((await import('node:http2')).constants)}, connect: (...args) => require('node:http2').connect(...args)}`,
  // undici checks its invariants with assert(value, message) at every step of a request; node:assert costs ~2 ms to
  // load. The same truthiness test stands in, and node:assert itself is loaded only to throw when one fails.
  'assert-lazy': `module.exports = function assert(value, message) { if (!value) require('node:assert')(value, message) }`,
  // @oclif/core asks wsl-utils whether this is WSL while it loads its Config; wsl-utils loads node:child_process and
  // PowerShell helpers for that (~4 ms). is-wsl, which wsl-utils re-exports as isWsl, answers alone; powerShellPath
  // (Windows only) still comes from wsl-utils itself. The build fails if @oclif/core uses wsl-utils otherwise.
  'wsl-utils-lazy': `import isWsl from 'is-wsl'\nexport {isWsl}\nexport const powerShellPath = async (...args) => (await import('wsl-utils')).powerShellPath(...args)`,
}
const oclifLib = join(dirname(resolve('@oclif/core')), '/')
{
  const file = join(oclifLib, 'util', 'os.js')
  const code = readFileSync(file, 'utf8')
  const uses = [...code.matchAll(/\(await import\('wsl-utils'\)\)\.(\w+)/g)].map(m => m[1])
  const imports = code.split("import('wsl-utils')").length - 1
  if (imports !== uses.length || uses.some(name => name !== 'isWsl' && name !== 'powerShellPath') || !uses.includes('isWsl'))
    throw new Error(`bin/bundle.js: ${file} now uses wsl-utils otherwise than for isWsl and powerShellPath; update wsl-utils-lazy`)
  const wslUtils = readFileSync(resolve('wsl-utils').replace(/[^/\\]+$/, 'index.js'), 'utf8')
  mustContain('wsl-utils/index.js', wslUtils, "export {default as isWsl} from 'is-wsl'", 'update wsl-utils-lazy')
}

// In the bundle every import() becomes a require() (see the build below). @oclif/core's own serve an ES module plugin,
// command or hook, and a TypeScript loader in development, none of which the bundle has; wsl-utils is stood in for
// above. The build fails when oclif comes to import() anything anywhere else.
{
  const expected = ['config/ts-path.js', 'module-loader.js', 'util/os.js']
  const importing = sourceFiles(oclifLib, '.js')
    .filter(file => /(^|[^\w.])import\(/.test(readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
    .map(file => relative(oclifLib, file).split('\\').join('/'))
    .sort()
  if (importing.join() !== expected.join()) throw new Error(`bin/bundle.js: @oclif/core now uses import() in ${importing.join(', ')}, not only in ${expected.join(', ')}`)
}

// Start-up work in @oclif/core and undici that the bundle does not need, patched out of their source (the build fails
// when a pattern is gone, so an upgrade cannot drop a patch silently):
// - oclif's root plugin sorts its command ids with localeCompare, whose first call builds ICU's collator (~6 ms); for
//   ids of [a-z:-] (every deis id) code-unit order is the same order, so other strings still go to localeCompare;
// - oclif's checkNodeVersion loads semver to test @oclif/core's own engines (node >= 18), which package.json's
//   engines already exceed; in the bundle it cannot even find @oclif/core's package.json, so it only cost the semver
//   load;
// - oclif reads its manifest (and any JSON) with node:fs/promises, whose first load costs ~3 ms (it brings readline and
//   file watchers): the same read, synchronous in the same async function, needs only node:fs (and fs/promises is
//   loaded on first use, see OCLIF_LAZY, for the stat of a file flag);
// - undici loads node:http (~4 ms) only to read http.maxHeaderSize, its default header limit, at load time and to
//   tell an IncomingMessage when it destroys a stream: both read it when they run instead (src/api/client.ts gives
//   its Agent the limit, so a command never loads it), and only an object whose class is named IncomingMessage
//   makes the destroy check load it.
const PATCHES = {
  '@oclif/core/lib/config/plugin.js': [
    [
      '.sort((a, b) => a.id.localeCompare(b.id))',
      '.sort((a, b) => (/^[a-z:-]*$/.test(a.id) && /^[a-z:-]*$/.test(b.id) ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.id.localeCompare(b.id)))',
    ],
  ],
  '@oclif/core/lib/index.js': [['\ncheckNodeVersion();\n', '\n']],
  '@oclif/core/lib/util/fs.js': [["const contents = await (0, promises_1.readFile)(path, 'utf8');", "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');"]],
  'undici/lib/core/util.js': [
    ["const { IncomingMessage } = require('node:http')\n", ''],
    [
      'Object.getPrototypeOf(stream).constructor === IncomingMessage',
      "(Object.getPrototypeOf(stream).constructor?.name === 'IncomingMessage' && Object.getPrototypeOf(stream).constructor === require('node:http').IncomingMessage)",
    ],
  ],
  'undici/lib/dispatcher/client.js': [
    ["const http = require('node:http')\n", "const http = {get maxHeaderSize() { return require('node:http').maxHeaderSize }}\n"],
    [
      `const getDefaultNodeMaxHeaderSize = http &&
  http.maxHeaderSize &&
  Number.isInteger(http.maxHeaderSize) &&
  http.maxHeaderSize > 0
  ? () => http.maxHeaderSize
  : () => { throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid') }`,
      `const getDefaultNodeMaxHeaderSize = () => {
  if (http && http.maxHeaderSize && Number.isInteger(http.maxHeaderSize) && http.maxHeaderSize > 0) return http.maxHeaderSize
  throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid')
}`,
    ],
  ],
}
const patched = new Set()
{
  // every other use of node:http in what these files keep must be one the patches above made lazy
  const client = readFileSync(join(undiciRoot, 'lib', 'dispatcher', 'client.js'), 'utf8')
  const uses = new Set([...client.matchAll(/\bhttp\.(\w+)/g)].map(m => m[1]))
  if ([...uses].some(name => name !== 'maxHeaderSize'))
    throw new Error('bin/bundle.js: undici/lib/dispatcher/client.js uses node:http for more than maxHeaderSize; update PATCHES')
  const util = readFileSync(join(undiciRoot, 'lib', 'core', 'util.js'), 'utf8')
  if (util.split('IncomingMessage').length !== 3) throw new Error('bin/bundle.js: undici/lib/core/util.js uses IncomingMessage otherwise; update PATCHES')
}

// What @oclif/core requires at load time but uses only inside functions, each required on its first property access:
// built-ins (readline for stdin args, perf_hooks for OCLIF performance markers, child_process for Windows shells,
// fs/promises for file and directory flags) and packages (tinyglobby and minimatch for commands and plugins found by
// pattern, lilconfig for oclif settings outside package.json: deis has neither; lilconfig alone loads fs/promises,
// ~3 ms). Such a stand-in is an object whose properties are the module's: the build fails when oclif uses one of these
// modules otherwise than by reading a property of what it required.
const OCLIF_LAZY = ['node:child_process', 'node:perf_hooks', 'node:readline', 'node:fs/promises', 'tinyglobby', 'minimatch', 'lilconfig']
for (const file of sourceFiles(oclifLib, '.js')) {
  const code = readFileSync(file, 'utf8')
  for (const name of OCLIF_LAZY) {
    for (const m of code.matchAll(new RegExp(`(\\S+)\\s*=\\s*(\\S*)\\(?require\\("${name}"\\)`, 'g'))) {
      const [, variable, wrapper] = m
      const uses = code
        .split(m[0])
        .join('')
        .match(new RegExp(`\\b${variable.replace(/\$/g, '\\$')}\\b(?!\\.\\w)`, 'g'))
      if (wrapper || !/^[\w$]+$/.test(variable) || uses)
        throw new Error(`bin/bundle.js: ${file} uses ${name} otherwise than by reading properties of require("${name}"); drop it from OCLIF_LAZY`)
    }
  }
}
const inPackage = (importer, name) => importer.split('\\').join('/').includes(`/node_modules/${name}/`)

const plugin = {
  name: 'deis-bundle',
  setup(b) {
    b.onResolve({filter: /^deis:/}, a => ({path: a.path.slice('deis:'.length), namespace: 'deis'}))
    b.onLoad({filter: /.*/, namespace: 'deis'}, a => ({contents: virtual[a.path], resolveDir: root, loader: a.path === 'cli' ? 'ts' : 'js'}))
    b.onResolve({filter: /^(node:)?http2$/}, a => (inPackage(a.importer, 'undici') ? {path: 'http2-lazy', namespace: 'deis'} : undefined))
    b.onResolve({filter: /^(node:)?assert$/}, a => (inPackage(a.importer, 'undici') ? {path: 'assert-lazy', namespace: 'deis'} : undefined))
    b.onResolve({filter: /^wsl-utils$/}, a => (inPackage(a.importer, '@oclif/core') ? {path: 'wsl-utils-lazy', namespace: 'deis'} : undefined))
    b.onResolve({filter: /^[\w:@/.-]+$/}, a =>
      OCLIF_LAZY.includes(a.path) && inPackage(a.importer, '@oclif/core') ? {path: a.path, namespace: 'oclif-lazy', pluginData: dirname(a.importer)} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'oclif-lazy'}, a => ({
      contents: `let m\nmodule.exports = new Proxy({}, {get: (_, k) => (m ??= require(${JSON.stringify(a.path)}))[k]})`,
      resolveDir: a.pluginData,
      loader: 'js',
    }))
    // in cli.cjs, a lazily loaded package is the script of its own that the loader runs on first import
    b.onResolve({filter: /^[@a-z]/}, a => {
      const name = Object.keys(LAZY).find(n => LAZY[n] === a.path)
      return name && b.initialOptions.outfile.endsWith(`${join('bundle', 'cli.cjs')}`) ? {path: name, namespace: 'lazy-script'} : undefined
    })
    b.onLoad({filter: /.*/, namespace: 'lazy-script'}, a => ({contents: `module.exports = __deisLoad(${JSON.stringify(a.path)})`, loader: 'js'}))
    b.onLoad({filter: /[/\\]node_modules[/\\](@oclif[/\\]core|undici)[/\\]lib[/\\].*\.js$/}, a => {
      const key = a.path.split('\\').join('/').split('/node_modules/').at(-1)
      const patches = PATCHES[key]
      if (!patches) return undefined
      patched.add(key)
      let contents = readFileSync(a.path, 'utf8')
      for (const [from, to] of patches) {
        mustContain(a.path, contents, from, 'update PATCHES')
        contents = contents.replace(from, to)
      }
      return {contents, loader: 'js'}
    })
  },
}

rmSync(outdir, {recursive: true, force: true})
const scripts = {cli: 'deis:cli', ...LAZY, undici: 'deis:undici'}
const hashes = {}
for (const [name, entry] of Object.entries(scripts)) {
  const outfile = join(outdir, `${name}.cjs`)
  await build({
    entryPoints: [entry.startsWith('deis:') ? entry : resolve(entry)],
    plugins: [plugin],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Every import() in the bundle is of CommonJS (bundled, a lazy script, or an external addon) and becomes a
    // require(): a script that vm runs gets no import() on Node 20. @oclif/core's own import() serves only ES
    // module plugins and commands, which deis has none of.
    // (and template literals become strings: see the ASCII note below)
    supported: {'dynamic-import': false, 'template-literal': false},
    // the loader passes each script its own file URL, so code that finds files beside itself still does
    define: {'import.meta.url': '__deisUrl'},
    outfile,
    external: EXTERNAL,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  })
  // Written as the function the loader calls, so the loader compiles the file's text as it is, with nothing to
  // concatenate. ASCII too, so the loader reads it as latin1, a plain copy: as UTF-8 it costs ~2 ms more, and a single
  // other character (a regular expression of ansis's, a licence comment of undici's) makes its whole text UTF-16. A \u
  // escape means the same in a string, a regular expression, an identifier or a comment; only a template literal's raw
  // text would differ, and esbuild has turned every template literal into strings above.
  const code = readFileSync(outfile, 'utf8').replace(/[^\x00-\x7f]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  const wrapped = `(function (exports, require, module, __filename, __dirname, __deisLoad, __deisUrl) {${code}\n})`
  writeFileSync(outfile, wrapped)
  hashes[name] = createHash('sha256').update(wrapped).digest('hex').slice(0, 16)
}
const unpatched = Object.keys(PATCHES).filter(key => !patched.has(key))
if (unpatched.length > 0) throw new Error(`bin/bundle.js: the bundle no longer holds ${unpatched.join(', ')}; update PATCHES`)
writeFileSync(
  join(outdir, 'tables.cjs'),
  "// written by bin/bundle.js: the command and hook tables cli.cjs set up\nmodule.exports = globalThis[Symbol.for('deis.bundle.tables')]\n",
)

// What bin/run.cjs starts. Each script runs from a V8 code cache written at the exit of its first run (so it also holds
// the functions that run compiled), named after the script's content hash and V8's version (a rebuilt script or
// another Node never meets an old cache). The cache goes beside the script, or, where the package is not the user's
// to write (`sudo npm install -g`), into $XDG_CACHE_HOME/deis (~/.cache/deis); where neither can be written, the
// command just runs without one.
const loader = `// written by bin/bundle.js: runs the esbuild bundle in dist/bundle (see bin/bundle.js); \`tsc\` writes it back
'use strict'
const vm = require('node:vm')
const {mkdirSync, readFileSync, renameSync, writeFileSync} = require('node:fs')
const {createRequire} = require('node:module')
const {homedir} = require('node:os')
const {join} = require('node:path')
const {pathToFileURL} = require('node:url')
const dir = join(__dirname, '..', 'bundle')
const HASHES = ${JSON.stringify(hashes)}
const loaded = {}
function load(name) {
  if (loaded[name]) return loaded[name].exports
  const file = join(dir, name + '.cjs')
  const cacheName = name + '.cjs.' + HASHES[name] + '.' + process.versions.v8 + '.v8cache'
  const userDir = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'deis')
  let cachedData
  try { cachedData = readFileSync(join(dir, cacheName)) } catch {
    try { cachedData = readFileSync(join(userDir(), cacheName)) } catch {}
  }
  const script = new vm.Script(readFileSync(file, 'latin1'), {filename: file, cachedData})
  const module = (loaded[name] = {exports: {}})
  script.runInThisContext()(module.exports, createRequire(file), module, file, dir, load, pathToFileURL(file).href)
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      const data = script.createCachedData()
      for (const to of [dir, userDir()]) {
        const tmp = join(to, cacheName + '.' + process.pid)
        try {
          if (to !== dir) mkdirSync(to, {recursive: true, mode: 0o700})
          writeFileSync(tmp, data)
          renameSync(tmp, join(to, cacheName))
          return
        } catch {}
      }
    })
  }
  return module.exports
}
exports.run = argv => load('cli').run(argv)
`
// last, so a failed bundle never becomes what bin/run.cjs starts
writeFileSync(join(root, 'dist', 'src', 'entry.cjs'), loader)
