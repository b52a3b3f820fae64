import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {insertKey, keysForUser} from '../../../src/controller/model/keys.js'
import {startTestController, type TestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'
import {runOnTty} from '../../helpers/tty.js'

// the key of controller-transcript #114, with the fingerprint the real controller computed for it
const RSA =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDt6+K5Qbn6Cw47i2krAYD8uU6ntsXhfpgk95erDsFKUxaRAxoisatM1Ew35UYmtHL0/XkKv6aHI0dvCr4PiH95S9nBWsem5RVqyAHfmBXJ8c6JtD57dcZzTYhOMGTDnoME5EnD3UeFAuSnAFrMP/JHh2m+0Ys/1nJEHWWeSUEqCeAULISlY2CuieAtjEIqSN/4o/cX4blCLbHgvfSslBLKp9gBxA2J2WimihZOO+6Ffrm4RwTV79ECm4Nhm3NqlFx6QFpBj2C0M6Vg2aZmsVfRjhfAJUjixTixfek7mmBBQ4qLk/5P2nSd3bav1ExUlU674xrEJw1wVxG2TEU9Wpib'
const RSA_FP = 'f0:df:62:05:5c:4e:e4:69:65:2e:1b:99:e9:13:77:ab'
const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH'

describe('keys', () => {
  let ctl: TestController
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'deis-keys-'))
    writeFileSync(join(dir, 'id_rsa.pub'), `${RSA} alice@laptop\n`)
    writeFileSync(join(dir, 'id_ed25519.pub'), `${ED}\n`)
    writeFileSync(join(dir, 'bad.pub'), 'not a key\n')
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))
  beforeEach(async () => {
    ctl = await startTestController({users: ['alice', 'bob']})
  })
  afterEach(() => ctl.close())

  describe('keys:add', () => {
    it('uploads a key file under its comment, trimmed, and prints the key with --json', async () => {
      const r = await runDeis(ctl, ['keys:add', join(dir, 'id_rsa.pub')])
      expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Uploading id_rsa.pub to deis... done\n'})
      const [key] = keysForUser(ctl.store, 'alice')
      expect(key).toMatchObject({id: 'alice@laptop', owner: 'alice', public: `${RSA} alice@laptop`, fingerprint: RSA_FP})
      ctl.loginAs('bob')
      const json = await runDeis(ctl, ['keys:add', 'bob-key', join(dir, 'id_ed25519.pub'), '--json'])
      expect(json.exitCode).toBe(0)
      expect(JSON.parse(json.stdout)).toMatchObject({id: 'bob-key', owner: 'bob', public: ED})
    })

    it('names a key without a comment after its file', async () => {
      const r = await runDeis(ctl, ['keys:add', join(dir, 'id_ed25519.pub')])
      expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Uploading id_ed25519.pub to deis... done\n'})
      expect(keysForUser(ctl.store, 'alice').map(k => k.id)).toEqual(['id_ed25519'])
    })

    it("shows the controller's field errors for a key already in use", async () => {
      await runDeis(ctl, ['keys:add', join(dir, 'id_rsa.pub')])
      ctl.loginAs('bob')
      const r = await runDeis(ctl, ['keys:add', join(dir, 'id_rsa.pub')])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr:
          'Uploading id_rsa.pub to deis... Error: id: SSH Key with this id already exists.\npublic: Public Key is already in use; that key is uploaded already (by you or another user); `deis keys:list` shows yours\n',
      })
      expect(keysForUser(ctl.store, 'bob')).toEqual([])
    })

    it('refuses a file that is not a public key, and a missing file, saying how to fix each', async () => {
      const bad = await runDeis(ctl, ['keys:add', join(dir, 'bad.pub')])
      expect(bad).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `Error: ${join(dir, 'bad.pub')} is not a valid ssh key; pass an OpenSSH public key file (one line: ssh-ed25519, ssh-rsa or ecdsa-..., the key, a comment)\n`,
      })
      const missing = await runDeis(ctl, ['keys:add', 'laptop', join(dir, 'nope.pub')])
      expect(missing).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `Error: no such key file: ${join(dir, 'nope.pub')}; check the path, or create the key with: ssh-keygen -t ed25519 -f ${join(dir, 'nope')}\n`,
      })
      expect(keysForUser(ctl.store, 'alice')).toEqual([])
    })

    it('takes a lone argument that looks like a path as the key file, even when it does not exist', async () => {
      const r = await runDeis(ctl, ['keys:add', join(dir, 'id_gone.pub')])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `Error: no such key file: ${join(dir, 'id_gone.pub')}; check the path, or create the key with: ssh-keygen -t ed25519 -f ${join(dir, 'id_gone')}\n`,
      })
    })

    it('names a directory and the key files in it', async () => {
      const r = await runDeis(ctl, ['keys:add', 'laptop', dir])
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `Error: ${dir} is a directory, not a key file; pass a public key file in it, e.g. deis keys:add ${join(dir, 'bad.pub')}\n`,
      })
      const empty = join(dir, 'empty')
      mkdirSync(empty, {recursive: true})
      const none = await runDeis(ctl, ['keys:add', 'laptop', empty])
      expect(none.stderr).toBe(`Error: ${empty} is a directory, not a key file; create a key in it with: ssh-keygen -t ed25519 -f ${join(empty, 'id_ed25519')}\n`)
      expect(keysForUser(ctl.store, 'alice')).toEqual([])
    })

    it('given a private key, points at its .pub and never uploads or prints the private key', async () => {
      const keys = join(dir, 'private')
      mkdirSync(keys, {recursive: true})
      const priv = join(keys, 'id_ed25519')
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@laptop', '-f', priv])
      const r = await runDeis(ctl, ['keys:add', priv])
      expect(r).toEqual({exitCode: 1, stdout: '', stderr: `Error: ${priv} is a private key, not the public key deis needs; pass its public half: deis keys:add ${priv}.pub\n`})
      rmSync(`${priv}.pub`)
      const alone = await runDeis(ctl, ['keys:add', 'laptop', priv])
      expect(alone.stderr).toBe(
        `Error: ${priv} is a private key, not the public key deis needs; write its public half with: ssh-keygen -y -f ${priv} > ${priv}.pub, then: deis keys:add ${priv}.pub\n`,
      )
      expect(keysForUser(ctl.store, 'alice')).toEqual([])
    })

    it('with no key at all and no terminal, prints the ssh-keygen command', async () => {
      const r = await runDeis(ctl, ['keys:add'])
      const ssh = join(ctl.home, '.ssh')
      expect(r).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: `Error: no SSH public key in ${ssh}; create one with: ssh-keygen -t ed25519 -f ${ssh}/id_ed25519, then: deis keys:add ${ssh}/id_ed25519.pub\n`,
      })
      expect(existsSync(ssh)).toBe(false)
    })

    it('with no key at all, on a terminal, offers to create one with ssh-keygen and uploads it', async () => {
      const r = await runOnTty(
        ctl.home,
        ['keys:add'],
        [
          ['Create one now', 'y\r'],
          ['Enter passphrase', '\r'],
          ['same passphrase', '\r'],
        ],
        30_000,
      )
      // the question wraps at the pseudo-terminal's width
      expect(r.screen.replace(/\r?\n/g, '')).toContain(
        `No SSH public key in ${join(ctl.home, '.ssh')}. Create one now (ssh-keygen -t ed25519 -f ${join(ctl.home, '.ssh', 'id_ed25519')})?`,
      )
      expect(r.exitCode).toBe(0)
      const pub = readFileSync(join(ctl.home, '.ssh', 'id_ed25519.pub'), 'utf8').trim()
      expect(keysForUser(ctl.store, 'alice')).toMatchObject([{public: pub}])
      expect(r.screen).toContain('Uploading id_ed25519.pub to deis... done')
    })

    it('exits 2 naming the <key> argument when it would need the chooser but has no terminal', async () => {
      mkdirSync(join(ctl.home, '.ssh'), {recursive: true})
      writeFileSync(join(ctl.home, '.ssh', 'id_rsa.pub'), `${RSA} alice@laptop\n`)
      for (const args of [['keys:add'], ['keys:add', 'laptop']]) {
        const r = await runDeis(ctl, args)
        expect(r).toEqual({exitCode: 2, stdout: '', stderr: 'Error: no terminal to prompt on; pass the public key file as the <key> argument: deis keys:add [<name>] <key>\n'})
      }
      expect(keysForUser(ctl.store, 'alice')).toEqual([])
    })
  })

  describe('keys:list', () => {
    it('lists only your own keys, ids padded, keys abbreviated, "N of M" when limited', async () => {
      insertKey(ctl.store, 'alice', {id: 'alice@laptop', public: `${RSA} alice@laptop`, fingerprint: RSA_FP})
      insertKey(ctl.store, 'alice', {id: 'ci', public: ED, fingerprint: 'x'})
      const r = await runDeis(ctl, ['keys:list'])
      expect(r).toEqual({
        exitCode: 0,
        stdout: '=== alice Keys\nci           ssh-ed25519 AAAA...cHBwcHBwcH\nalice@laptop ssh-rsa AAAAB3Nz...ice@laptop\n',
        stderr: '',
      })
      expect(await runDeis(ctl, ['keys', '-l', '1'])).toEqual({exitCode: 0, stdout: '=== alice Keys (1 of 2)\nci ssh-ed25519 AAAA...cHBwcHBwcH\n', stderr: ''})
      ctl.loginAs('bob')
      expect(await runDeis(ctl, ['keys:list'])).toEqual({exitCode: 0, stdout: '=== bob Keys\n', stderr: ''})
    })

    it('follows every page with --all --json, in public-key order', async () => {
      insertKey(ctl.store, 'alice', {id: 'a', public: `${RSA} a`, fingerprint: RSA_FP})
      insertKey(ctl.store, 'alice', {id: 'b', public: ED, fingerprint: 'x'})
      const r = await runDeis(ctl, ['keys:list', '-l', '1', '--all', '--json'])
      expect(r.exitCode).toBe(0)
      expect(JSON.parse(r.stdout).results.map((k: {id: string}) => k.id)).toEqual(['b', 'a'])
    })
  })

  describe('keys:remove', () => {
    it('removes your key', async () => {
      insertKey(ctl.store, 'alice', {id: 'alice@laptop', public: `${RSA} alice@laptop`, fingerprint: RSA_FP})
      const r = await runDeis(ctl, ['keys:remove', 'alice@laptop'])
      expect(r).toEqual({exitCode: 0, stdout: '', stderr: 'Removing alice@laptop SSH Key... done\n'})
      expect(keysForUser(ctl.store, 'alice')).toEqual([])
    })

    it("cannot see another user's key, even as an admin", async () => {
      insertKey(ctl.store, 'bob', {id: 'bob@desk', public: `${RSA} bob@desk`, fingerprint: RSA_FP})
      const r = await runDeis(ctl, ['keys:remove', 'bob@desk'])
      expect(r).toEqual({exitCode: 1, stdout: '', stderr: 'Removing bob@desk SSH Key... Error: No Key matches the given query; check the name with `deis keys:list`\n'})
      expect(keysForUser(ctl.store, 'bob').map(k => k.id)).toEqual(['bob@desk'])
    })
  })
})
