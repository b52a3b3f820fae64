#!/usr/bin/env node
// `--version` is answered without loading oclif: it is the one command whose start-up time users notice most.
// `deis help [x...]` and a leading `-h/--help` become oclif's `[x...] --help` (cli-surface §1.4).
let argv = process.argv.slice(2)
if (argv[0] === 'help' || argv[0] === '-h' || argv[0] === '--help') argv = [...argv.slice(1), '--help']
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {readFileSync} = await import('node:fs')
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`v${pkg.version}\n`)
} else {
  const {main} = await import('../dist/src/main.js')
  await main(argv)
}
