#!/usr/bin/env node
// `--version` is answered without loading oclif: it is the one command whose start-up time users notice most.
// `deis help [x...]` and a leading `-h/--help` become oclif's `[x...] --help` (cli-surface §1.4).
// dist/src/entry.js is the unbundled CLI as `tsc` writes it, or the esbuild bundle (faster to start) when
// bin/bundle.js, the last step of `npm run build`, ran after it (see src/entry.ts).
let argv = process.argv.slice(2)
if (argv[0] === 'help' || argv[0] === '-h' || argv[0] === '--help') argv = [...argv.slice(1), '--help']
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {readFileSync} = await import('node:fs')
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`v${pkg.version}\n`)
} else {
  const [{default: module}, {default: v8}] = await Promise.all([import('node:module'), import('node:v8')])
  // Node 22.1+ keeps V8's compiled code between runs (Node 20 lacks it).
  module.enableCompileCache?.()
  // undici parses HTTP with WebAssembly (llhttp); V8's optimising re-compile of it runs in the background and
  // holds the exit of every command that made a request by ~100 ms. The baseline compiler is plenty for a CLI.
  v8.setFlagsFromString('--liftoff-only')
  const {run} = await import('../dist/src/entry.js')
  await run(argv)
}
