import {describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {seedApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'
import {findApp} from '../../../src/controller/model/apps.js'

describe('ps:list, ps:scale, ps:restart', () => {
  const ctl = useTestController({users: ['alice', 'bob']}, async () => {
    await seedApi(ctl, 'POST', '/v2/apps/', {id: 'example-app'})
    await seedApi(ctl, 'POST', '/v2/apps/', {id: 'nobuild-app'})
    await seedApi(ctl, 'POST', '/v2/apps/example-app/builds', {image: 'example/image:1', procfile: {web: './server', worker: './worker'}})
  })
  const podNames = (type: string) =>
    ctl.runtime
      .pods('example-app', {type})
      .map(p => p.name)
      .sort()
  const psOutput = () =>
    ['=== example-app Processes', '--- web:', ...podNames('web').map(n => `${n} up (v2)`), '--- worker:', ...podNames('worker').map(n => `${n} up (v2)`)].join('\n') + '\n'

  it('scales to counts and prints the coffee line, the timing and the processes', async () => {
    const r = await runDeis(ctl, ['ps:scale', 'web=2', 'worker=1', '--app', 'example-app'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/^Scaling processes\.\.\. but first, coffee!\ndone in \d+s\n$/)
    expect(findApp(ctl.store, 'example-app')!.structure).toEqual({web: 2, worker: 1})
    expect(podNames('web')).toHaveLength(2)
    expect(r.stdout).toBe(psOutput())
    const logs = await runDeis(ctl, ['logs', '--app', 'example-app'])
    expect(logs.stdout).toMatch(/ deis\[controller\]: INFO alice scaled pods web=2 worker=1\n$/)
  })

  it('scales relatively with the scale shortcut and DEIS_DRINK_OF_CHOICE', async () => {
    const r = await runDeis(ctl, ['scale', 'web+1', 'worker-1', '--app', 'example-app'], {env: {DEIS_DRINK_OF_CHOICE: 'tea'}})
    expect(r.stderr).toMatch(/^Scaling processes\.\.\. but first, tea!\ndone in \d+s\n$/)
    expect(findApp(ctl.store, 'example-app')!.structure).toEqual({web: 3, worker: 0})
    expect(r.stdout).toBe(['=== example-app Processes', '--- web:', ...podNames('web').map(n => `${n} up (v2)`)].join('\n') + '\n')
  })

  it('lists processes with ps and as JSON', async () => {
    expect(await runDeis(ctl, ['ps', '--app', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: ['=== example-app Processes', '--- web:', ...podNames('web').map(n => `${n} up (v2)`)].join('\n') + '\n',
      stderr: '',
    })
    const r = await runDeis(ctl, ['ps:list', '--app', 'example-app', '--json'])
    expect(JSON.parse(r.stdout)).toMatchObject({count: 3})
  })

  it('refuses bad targets before calling the controller', async () => {
    const r = await runDeis(ctl, ['ps:scale', 'Web=2', '--app', 'example-app'])
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      "Error: 'Web=2' does not match the pattern 'type=num', 'type+num' or 'type-num'; types are lowercase a-z, 0-9 and hyphens, counts whole numbers; ex: web=2\n",
    )
    const below = await runDeis(ctl, ['ps:scale', 'worker-1', '--app', 'example-app'])
    expect(below.exitCode).toBe(2)
    expect(findApp(ctl.store, 'example-app')!.structure).toEqual({web: 3, worker: 0})
  })

  it('passes the controller refusals through: unknown type, no build, stranger, unknown app', async () => {
    const unknown = await runDeis(ctl, ['ps:scale', 'db=1', '--app', 'example-app'])
    expect(unknown).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        "Scaling processes... but first, coffee!\nError: Container type db does not exist in application; scale a type the app's Procfile has; `deis ps:list -a example-app` shows them\n",
    })
    const nobuild = await runDeis(ctl, ['scale', 'web=1', '--app', 'nobuild-app'])
    expect(nobuild.stderr).toBe(
      'Scaling processes... but first, coffee!\nError: No build associated with this release; deploy first: `git push deis main` or `deis builds:create <image> -a nobuild-app`\n',
    )
    ctl.loginAs('bob')
    const stranger = await runDeis(ctl, ['ps', '--app', 'example-app'])
    expect(stranger).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    })
    ctl.loginAs('alice')
    expect((await runDeis(ctl, ['ps', '--app', 'nope'])).stderr).toBe('Error: No App matches the given query; check the app name with `deis apps:list`\n')
    expect(findApp(ctl.store, 'example-app')!.structure).toEqual({web: 3, worker: 0})
  })

  it('refuses more than 100 processes of a type (a local bound) and keeps every pod name unique', async () => {
    const huge = await runDeis(ctl, ['ps:scale', 'web=99999999999999999999', '--app', 'example-app'])
    expect(huge).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Scaling processes... but first, coffee!\nError: Invalid scaling format: web=100000000000000000000 is more than the local controller runs; scale each process type to 100 or fewer\n',
    })
    expect((await runDeis(ctl, ['ps:scale', 'web=101', '--app', 'example-app'])).exitCode).toBe(1)
    expect(findApp(ctl.store, 'example-app')!.structure).toEqual({web: 3, worker: 0})
    expect(await runDeis(ctl, ['ps:scale', 'web=100', '--app', 'example-app'])).toMatchObject({exitCode: 0})
    expect(new Set(podNames('web')).size).toBe(100)
    expect(await runDeis(ctl, ['ps:scale', 'web=3', '--app', 'example-app'])).toMatchObject({exitCode: 0})
  })

  it('restarts everything, a type or one pod, showing the new processes', async () => {
    const before = podNames('web')
    const all = await runDeis(ctl, ['ps:restart', '--app', 'example-app'])
    expect(all.stderr).toMatch(/^Restarting processes\.\.\. but first, coffee!\ndone in \d+s\n$/)
    const after = podNames('web')
    expect(after.filter(n => before.includes(n))).toEqual([])
    expect(all.stdout).toBe(['=== example-app Processes', '--- web:', ...after.map(n => `${n} up (v2)`)].join('\n') + '\n')
    const one = await runDeis(ctl, ['ps:restart', after[0]!, '--app', 'example-app'])
    expect(one.stdout).toMatch(/^=== example-app Processes\n--- web:\nexample-app-web-\d+-[a-z0-9]{5} up \(v2\)\n$/)
    expect(podNames('web')).not.toContain(after[0])
    expect(podNames('web')).toHaveLength(3)
    const none = await runDeis(ctl, ['ps:restart', 'worker', '--app', 'example-app'])
    expect(none).toMatchObject({exitCode: 0, stdout: 'Could not find any processes to restart\n'})
    expect(none.stderr).toMatch(/^Restarting processes\.\.\. but first, coffee!\ndone in \d+s\n$/)
  })
})
