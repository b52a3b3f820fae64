#!/usr/bin/env node
// CommonJS, and so is the bundle's loader it starts: an ES module entry point costs Node its ESM loader before the
// first line runs, ~10 ms of a command's start-up.
// `--version` is answered without loading oclif: it is the one command whose start-up time users notice most.
// `deis help [x...]` and a leading `-h/--help` become oclif's `[x...] --help` (cli-surface §1.4).
// dist/src/entry.cjs is the unbundled CLI as `tsc` writes it, or the loader of the esbuild bundle (faster to start)
// when bin/bundle.js, the last step of `npm run build`, ran after it (see src/entry.cts).
'use strict'
let argv = process.argv.slice(2)
if (argv[0] === 'help' || argv[0] === '-h' || argv[0] === '--help') argv = [...argv.slice(1), '--help']
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const pkg = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'package.json'), 'utf8'))
  process.stdout.write(`v${pkg.version}\n`)
} else {
  // Node 22.1+ keeps V8's compiled code between runs (Node 20 lacks it).
  require('node:module').enableCompileCache?.()
  // undici parses HTTP with WebAssembly (llhttp); V8's optimising re-compile of it runs in the background and
  // holds the exit of every command that made a request by ~100 ms. The baseline compiler is plenty for a CLI.
  require('node:v8').setFlagsFromString('--liftoff-only')
  require('../dist/src/entry.cjs').run(argv)
}
