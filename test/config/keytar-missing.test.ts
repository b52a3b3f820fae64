import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {userByToken} from '../../src/controller/model/tokens.js'
import {startTestController, type TestController} from '../helpers/controller.js'
import {runDeis} from '../helpers/run.js'

// What a machine without libsecret ends up with: npm dropped the optional keytar, so loading it fails.
// Real resolve hooks in the CLI's process (no change to node_modules) make `keytar` unresolvable, for import()
// (the unbundled CLI) and for require() (the bundle, whose scripts load every package with require).
const HOOKS = `export async function resolve(specifier, context, next) {
  if (specifier === 'keytar') throw Object.assign(new Error("Cannot find package 'keytar'"), {code: 'ERR_MODULE_NOT_FOUND'})
  return next(specifier, context)
}`
const REGISTER = (hooks: string) => `import {register} from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hooks).href)})\n`
const REQUIRE_HOOK = `const Module = require('node:module')
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (request === 'keytar') throw Object.assign(new Error("Cannot find module 'keytar'"), {code: 'MODULE_NOT_FOUND'})
  return resolve.call(this, request, ...rest)
}`

describe('login without keytar installed', () => {
  let ctl: TestController
  let home: string
  let env: Record<string, string | undefined>
  beforeAll(async () => {
    ctl = await startTestController({users: ['alice'], apps: ['example-app']})
    home = mkdtempSync(join(tmpdir(), 'deis-no-keytar-'))
    writeFileSync(join(home, 'hooks.mjs'), HOOKS)
    writeFileSync(join(home, 'register.mjs'), REGISTER(join(home, 'hooks.mjs')))
    writeFileSync(join(home, 'require-hook.cjs'), REQUIRE_HOOK)
    env = {DEIS_KEYCHAIN: undefined, NODE_OPTIONS: `--import ${join(home, 'register.mjs')} --require ${join(home, 'require-hook.cjs')}`}
  })
  afterAll(async () => {
    await ctl.close()
    rmSync(home, {recursive: true, force: true})
  })

  it('keeps the token in the 0600 profile file and says so once', async () => {
    const profile = join(home, '.deis', 'client.json')
    const first = await runDeis(home, ['login', ctl.url, '--username', 'alice', '--password', 'alicepw'], {env})
    expect(first).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: [
        `Note: no OS keychain (the optional keytar module is not installed), so the token is kept in ${profile} (mode 0600)`,
        'Logged in as alice',
        `Configuration file written to ${profile}`,
        '',
      ].join('\n'),
    })
    expect(statSync(profile).mode & 0o777).toBe(0o600)
    const saved = JSON.parse(readFileSync(profile, 'utf8')) as {token: string; token_store?: string}
    expect(userByToken(ctl.store, saved.token)?.username).toBe('alice')
    expect(saved.token_store).toBeUndefined()

    expect(await runDeis(home, ['apps:list'], {env})).toEqual({exitCode: 0, stdout: '=== Apps\nexample-app\n', stderr: ''})
    const again = await runDeis(home, ['login', ctl.url, '--username', 'alice', '--password', 'alicepw'], {env})
    expect(again).toEqual({exitCode: 0, stdout: '', stderr: `Logged in as alice\nConfiguration file written to ${profile}\n`})
  })
})
