import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runDeis} from '../../helpers/run.js'

type ManifestCommand = {id: string; aliases: string[]}
const manifest = JSON.parse(readFileSync(new URL('../../../oclif.manifest.json', import.meta.url), 'utf8')) as {commands: Record<string, ManifestCommand>}

/** The Go client's shortcut map (cli-surface §2); each one whose target exists here must be listed. */
const GO_SHORTCUTS: Record<string, string> = {
  create: 'apps:create',
  destroy: 'apps:destroy',
  info: 'apps:info',
  login: 'auth:login',
  logout: 'auth:logout',
  logs: 'apps:logs',
  open: 'apps:open',
  passwd: 'auth:passwd',
  pull: 'builds:create',
  register: 'auth:register',
  rollback: 'releases:rollback',
  run: 'apps:run',
  scale: 'ps:scale',
  sharing: 'perms:list',
  'sharing:list': 'perms:list',
  'sharing:add': 'perms:create',
  'sharing:remove': 'perms:delete',
  whoami: 'auth:whoami',
}

describe('shortcuts:list', () => {
  let home: string
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'deis-home-'))
  })
  afterAll(() => rmSync(home, {recursive: true, force: true}))

  it('prints "<alias> -> <target>" sorted, then a blank line, without logging in', async () => {
    const r = await runDeis(home, ['shortcuts:list'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout.endsWith('\n\n')).toBe(true)
    const lines = r.stdout.slice(0, -2).split('\n')
    expect(lines).toEqual([...lines].sort())
    expect(lines).toEqual(expect.arrayContaining(['sharing -> perms:list', 'sharing:add -> perms:create', 'sharing:list -> perms:list', 'sharing:remove -> perms:delete']))
    // a topic's own list name is not a shortcut
    expect(lines.filter(l => /^(apps|keys|perms|users|shortcuts):list /.test(l))).toEqual([])
  })

  it("lists every alias in the manifest and each of the Go client's shortcuts this CLI has", async () => {
    const r = await runDeis(home, ['shortcuts', '--json'])
    const listed = new Map((JSON.parse(r.stdout) as Array<{alias: string; target: string}>).map(s => [s.alias, s.target]))
    const names = new Set(Object.values(manifest.commands).flatMap(c => [c.id, ...c.aliases]))
    for (const [alias, target] of Object.entries(GO_SHORTCUTS)) if (names.has(target)) expect(listed.get(alias), alias).toBe(target)
    for (const c of Object.values(manifest.commands)) {
      for (const alias of c.aliases) if (!alias.startsWith(`${c.id}:`)) expect(listed.has(alias), `${alias} of ${c.id}`).toBe(true)
    }
  })
})
