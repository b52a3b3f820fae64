import {describe, expect, it} from 'vitest'
import {useTestController} from '../helpers/controller.js'
import {runDeis} from '../helpers/run.js'

const LINE = '2026-11-25T03:18:28+00:00 deis[api]: alice created v2'
const PAINTED = `\u001B[35m${LINE}\u001B[0m\n`

describe('colour conventions: NO_COLOR, FORCE_COLOR, --no-color', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app']}, async ctl => {
    ctl.store.logs.append('example-app', [{time: '2026-11-25T03:18:28+00:00', source: 'deis[api]', message: 'alice created v2'}])
  })
  const logs = async (env: Record<string, string>, ...args: string[]) => (await runDeis(ctl, ['logs', '--app', 'example-app', ...args], {env: {TERM: 'xterm', ...env}})).stdout

  it('colours on a terminal, and an empty NO_COLOR does not turn it off; a non-empty one does', async () => {
    expect(await logs({DEIS_FORCE_TTY: '1'})).toBe(PAINTED)
    expect(await logs({DEIS_FORCE_TTY: '1', NO_COLOR: ''})).toBe(PAINTED)
    expect(await logs({DEIS_FORCE_TTY: '1', NO_COLOR: '1'})).toBe(`${LINE}\n`)
  })

  it('FORCE_COLOR colours even when piped (and wins over NO_COLOR); FORCE_COLOR=0 does not', async () => {
    expect(await logs({})).toBe(`${LINE}\n`)
    expect(await logs({FORCE_COLOR: '1'})).toBe(PAINTED)
    expect(await logs({FORCE_COLOR: '1', NO_COLOR: '1'})).toBe(PAINTED)
    expect(await logs({FORCE_COLOR: '0'})).toBe(`${LINE}\n`)
  })

  it('--no-color wins over everything, on any command', async () => {
    expect(await logs({FORCE_COLOR: '1', DEIS_FORCE_TTY: '1'}, '--no-color')).toBe(`${LINE}\n`)
    expect((await runDeis(ctl, ['apps', '--no-color'])).stdout).toBe('=== Apps\nexample-app\n')
  })
})
