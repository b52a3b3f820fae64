import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {checkPassword} from '../../../src/controller/model/users.js'
import {startServer} from '../../api/servers.js'
import {startTestController, useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {findUser} from '../../../src/controller/model/users.js'
import {userByToken} from '../../../src/controller/model/tokens.js'

const creds = (u: string) => ['--username', u, '--password', `${u}-secret`, '--email', `${u}@example.com`]

describe('auth:register', () => {
  const ctl = useTestController({users: ['alice'], apps: []}, async () => {
    profile = join(ctl.home, '.deis', 'client.json')
  })
  let profile: string
  beforeEach(() => ctl.loginAs('alice'))

  it('registers a user, then logs in as them', async () => {
    const r = await runDeis(ctl, ['auth:register', ctl.url, ...creds('carol')])
    expect(r).toEqual({exitCode: 0, stdout: '', stderr: `Registered carol\nLogged in as carol\nConfiguration file written to ${profile}\n`})
    const carol = findUser(ctl.store, 'carol')!
    expect(carol).toMatchObject({email: 'carol@example.com', is_superuser: 0, is_active: 1})
    expect(await checkPassword('carol-secret', carol.password)).toBe(true)
    expect(JSON.parse(readFileSync(profile, 'utf8'))).toMatchObject({username: 'carol', controller: ctl.url})
    expect(userByToken(ctl.store, JSON.parse(readFileSync(profile, 'utf8')).token)?.username).toBe('carol')
  })

  it('does not log in with --login false (the `register` alias), and prints the user with --json', async () => {
    const r = await runDeis(ctl, ['register', ctl.url, ...creds('dave'), '--login', 'false', '--json'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toMatchObject({username: 'dave', email: 'dave@example.com', is_superuser: false})
    expect(findUser(ctl.store, 'dave')).toBeDefined()
    expect(JSON.parse(readFileSync(profile, 'utf8')).username).toBe('alice')
  })

  it('reports a duplicate username and changes nothing', async () => {
    const before = findUser(ctl.store, 'alice')
    const r = await runDeis(ctl, ['register', ctl.url, '--username', 'alice', '--password', 'x', '--email', 'a@example.com'])
    expect(r).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: username: A user with that username already exists; choose another username, or log in with `deis login <controller>`\n',
    })
    expect(findUser(ctl.store, 'alice')).toEqual(before)
  })

  it('reports an invalid email and creates no user', async () => {
    const r = await runDeis(ctl, ['register', ctl.url, '--username', 'erin', '--password', 'x', '--email', 'not-an-email'])
    expect(r).toEqual({exitCode: 1, stdout: '', stderr: 'Error: email: Enter a valid email address; give an address such as alice@example.com\n'})
    expect(findUser(ctl.store, 'erin')).toBeUndefined()
  })

  it('needs each missing value as a flag without a terminal (exit 2)', async () => {
    for (const [args, flag] of [
      [[], 'username'],
      [['--username', 'frank'], 'password'],
      [['--username', 'frank', '--password', 'x'], 'email'],
    ] as const) {
      const r = await runDeis(ctl, ['register', ctl.url, ...args])
      expect(r).toEqual({exitCode: 2, stdout: '', stderr: `Error: no terminal to prompt on; pass --${flag}\n`})
    }
    expect(findUser(ctl.store, 'frank')).toBeUndefined()
  })

  it('lets an admin register others when registration is admin-only, reusing the profile token', async () => {
    const admin = await startTestController({users: ['alice'], options: {registrationMode: 'admin_only'}})
    try {
      const asAdmin = await runDeis(admin, ['register', admin.url, ...creds('gina'), '--login=false'])
      expect(asAdmin).toEqual({exitCode: 0, stdout: '', stderr: 'Registered gina\n'})
      const stranger = mkdtempSync(join(tmpdir(), 'deis-register-'))
      const anon = await runDeis(stranger, ['register', admin.url, ...creds('hank')])
      rmSync(stranger, {recursive: true, force: true})
      expect(anon).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: 'Error: You do not have permission to perform this action; this needs an admin account; ask an admin of the controller\n',
      })
      expect(findUser(admin.store, 'hank')).toBeUndefined()
    } finally {
      await admin.close()
    }
  })

  it('refuses a URL that is not a Deis controller', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(404)
      res.end()
    })
    const r = await runDeis(ctl, ['register', server.url, ...creds('ivan')])
    await server.close()
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toBe(
      `Error: ${server.url} does not appear to be a valid Deis controller; check the controller URL, that the server is running, and that it speaks the Deis Workflow v2 API\n`,
    )
    expect(findUser(ctl.store, 'ivan')).toBeUndefined()
  })
})
