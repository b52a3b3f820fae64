import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {BIN, runDeis} from '../../helpers/run.js'
import {userByToken} from '../../../src/controller/model/tokens.js'

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
const keyring = has('dbus-run-session') && has('gnome-keyring-daemon')

/**
 * Runs `script` inside a private D-Bus session with an unlocked gnome-keyring (a real Secret Service),
 * HOME=`home` and no DEIS_* settings, so the CLI uses the keychain. Each step writes <name>.out/.err/.rc.
 * Asynchronous, so the controller in this process keeps answering.
 */
function inKeyringSession(home: string, script: string): Promise<number | null> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('DEIS_') && !k.startsWith('DBUS_')) env[k] = v
  env.HOME = home
  env.BIN = BIN
  env.NODE = process.execPath
  const prelude = 'eval "$(echo -n pw | gnome-keyring-daemon --unlock --components=secrets)"; export GNOME_KEYRING_CONTROL\n'
  const step = 'step() { name=$1; shift; "$@" >"$HOME/$name.out" 2>"$HOME/$name.err"; echo $? >"$HOME/$name.rc"; }\n'
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'bash', '-c', prelude + step + script], {env, cwd: home, stdio: 'ignore'})
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

// no silent skip: .ci/run installs dbus and gnome-keyring; a machine without them fails here and says so
describe('the token in a real Secret Service keychain', () => {
  it('has a Secret Service to talk to', () => {
    expect(keyring, 'install dbus and gnome-keyring (apt-get install dbus gnome-keyring libsecret-1-dev)').toBe(true)
  })

  let ctl: TestController
  let home: string
  const read = (name: string) => readFileSync(join(home, name), 'utf8')
  const result = (name: string) => ({exitCode: Number(read(`${name}.rc`)), stdout: read(`${name}.out`), stderr: read(`${name}.err`)})
  beforeAll(async () => {
    ctl = await startTestController({users: ['alice'], apps: ['example-app']})
    home = mkdtempSync(join(tmpdir(), 'deis-keychain-'))
  })
  afterAll(async () => {
    await ctl.close()
    rmSync(home, {recursive: true, force: true})
  })

  it('logs in with the token in the keychain only, uses it, and forgets it on logout', async () => {
    const account = `alice@${ctl.url}`
    const keytar = createRequire(import.meta.url).resolve('keytar')
    writeFileSync(join(home, 'peek.cjs'), `require(${JSON.stringify(keytar)}).getPassword('deis', process.argv[2]).then(t => process.stdout.write(String(t)))`)
    await inKeyringSession(
      home,
      [
        `step login "$NODE" "$BIN" login ${ctl.url} --username alice --password alicepw`,
        'cp "$HOME/.deis/client.json" "$HOME/profile.json"',
        `step peek "$NODE" "$HOME/peek.cjs" '${account}'`,
        'step apps "$NODE" "$BIN" apps:list',
        'step logout "$NODE" "$BIN" logout',
        `step gone "$NODE" "$HOME/peek.cjs" '${account}'`,
      ].join('\n'),
    )
    expect(result('login')).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: `Logged in as alice\nConfiguration file written to ${join(home, '.deis', 'client.json')}\n`,
    })
    expect(JSON.parse(read('profile.json'))).toEqual({username: 'alice', ssl_verify: true, controller: ctl.url, token: '', response_limit: 0, token_store: 'keychain'})
    expect(userByToken(ctl.store, read('peek.out'))?.username).toBe('alice')
    expect(result('apps')).toEqual({exitCode: 0, stdout: '=== Apps\nexample-app\n', stderr: ''})
    expect(result('logout')).toEqual({exitCode: 0, stdout: '', stderr: 'Logged out\n'})
    expect(read('gone.out')).toBe('null')
  })
})

describe('a keychain profile without a keychain', () => {
  let ctl: TestController
  beforeAll(async () => {
    ctl = await startTestController({users: ['alice'], apps: ['example-app']})
  })
  afterAll(() => ctl.close())

  it('exits 4 naming the keychain when it holds no token for a keychain profile', async () => {
    ctl.loginAs('alice', {token: '', token_store: 'keychain'})
    const r = await runDeis(ctl, ['apps:list'])
    expect(r).toEqual({
      exitCode: 4,
      stdout: '',
      stderr: `Error: the keychain did not answer with the token for alice at ${ctl.url}; log in with \`deis login <controller>\`\n`,
    })
  })
})
