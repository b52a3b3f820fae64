#!/usr/bin/env node
// `npm run bench:sandbox [-- --runs N]`: what the app sandbox costs. Starts `node -e 0` (an app's shortest life)
// --runs times (30) plainly and through the bubblewrap sandbox, alternating, and prints the median of each and
// their ratio, then the start-up self-test's time. Both are measured in the same run on the same machine.
// Needs a build first (`npm run build`): it loads the sandbox from dist/.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const {openSandbox, unsandboxed} = await import('../dist/src/controller/runtime/sandbox.js')

const argv = process.argv.slice(2)
const runsAt = argv.indexOf('--runs')
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : 30

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function once(sandbox, dir) {
  const spec = {dir}
  const [file, args] = sandbox.wrap(['/usr/bin/node', '-e', '0'], spec)
  const t0 = process.hrtime.bigint()
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {cwd: dir, env: sandbox.env(spec), stdio: 'ignore'})
    child.on('error', reject)
    child.on('close', code => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`exit ${code}`))))
  })
}

const dir = mkdtempSync(join(tmpdir(), 'deis-bench-sandbox-'))
const hidden = mkdtempSync(join(tmpdir(), 'deis-bench-hidden-'))
try {
  writeFileSync(join(dir, 'server.js'), '')
  const t0 = process.hrtime.bigint()
  const sandbox = openSandbox(hidden)
  const selfTest = Number(process.hrtime.bigint() - t0) / 1e6
  if (!sandbox.isolated) throw new Error(`no sandbox here: ${sandbox.mechanism}`)
  const plain = unsandboxed('baseline')
  await once(plain, dir)
  await once(sandbox, dir)
  const a = []
  const b = []
  for (let i = 0; i < RUNS; i++) {
    a.push(await once(plain, dir))
    b.push(await once(sandbox, dir))
  }
  console.log(`sandbox: ${sandbox.mechanism}`)
  console.log(
    `process start to exit (node -e 0), median of ${RUNS}: plain ${median(a).toFixed(1)} ms, sandboxed ${median(b).toFixed(1)} ms, ratio ${(median(b) / median(a)).toFixed(2)}`,
  )
  console.log(`start-up self-test: ${selfTest.toFixed(1)} ms (once per controller start)`)
} finally {
  rmSync(dir, {recursive: true, force: true})
  rmSync(hidden, {recursive: true, force: true})
}
