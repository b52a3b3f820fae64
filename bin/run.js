#!/usr/bin/env node
// `--version` is answered without loading oclif: it is the one command whose start-up time users notice most.
// `deis help [x...]` and a leading `-h/--help` become oclif's `[x...] --help` (cli-surface §1.4).
// The esbuild bundle (scripts/bundle.js, the last step of `npm run build`) starts faster; it is used only while
// it is newer than what `tsc` and `oclif manifest` last wrote, so a plain `tsc -p . && oclif manifest` wins.
import {statSync} from 'node:fs'
import module from 'node:module'

// Node 22.1+ keeps V8's compiled code between runs (a no-op on Node 20, which lacks it).
module.enableCompileCache?.()

let argv = process.argv.slice(2)
if (argv[0] === 'help' || argv[0] === '-h' || argv[0] === '--help') argv = [...argv.slice(1), '--help']
const mtime = path => statSync(new URL(path, import.meta.url), {throwIfNoEntry: false})?.mtimeMs ?? Number.NaN
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {readFileSync} = await import('node:fs')
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`v${pkg.version}\n`)
} else if (mtime('../dist/bundle/main.js') >= Math.max(mtime('../dist/src/main.js'), mtime('../oclif.manifest.json'))) {
  const {run} = await import('../dist/bundle/main.js')
  await run(argv)
} else {
  const {main} = await import('../dist/src/main.js')
  await main(argv)
}
