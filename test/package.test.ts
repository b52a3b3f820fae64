import {execFile} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

describe('the packed package', () => {
  it('holds what runs, the docs, the licence and the quickstart app, and nothing of the build or tests', async () => {
    // --ignore-scripts: `npm test` has just built; pack's prepare would build again
    const {stdout} = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: ROOT, maxBuffer: 16 << 20})
    const files = (JSON.parse(stdout) as Array<{files: Array<{path: string}>}>)[0]!.files.map(f => f.path)
    const top = [...new Set(files.map(f => /^(dist\/[^/]+|examples\/[^/]+)\//.exec(f)?.[1] ?? f))].sort()
    expect(top).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/run.cjs', 'dist/bundle', 'dist/src', 'examples/hello-node', 'oclif.manifest.json', 'package.json'])
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/src/entry.cjs',
        'dist/bundle/cli.cjs',
        'dist/bundle/tables.cjs',
        'dist/bundle/undici.cjs',
        'dist/src/controller/daemon.js',
        'examples/hello-node/server.js',
      ]),
    )
    expect(files.filter(f => /\.(ts|v8cache)$/.test(f) || /(^|\/)(node_modules|test)\//.test(f))).toEqual([])
  })

  it('starts the bundle after a full build', () => {
    expect(readFileSync(`${ROOT}dist/src/entry.cjs`, 'utf8')).toMatch(/^\/\/ written by bin\/bundle\.js: runs the esbuild bundle in dist\/bundle/)
  })

  it('says MIT in package.json and in its LICENSE file', () => {
    expect((JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {license: string}).license).toBe('MIT')
    expect(readFileSync(`${ROOT}LICENSE`, 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the deis authors\n/)
  })
})
