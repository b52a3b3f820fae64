import {spawnSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {useTestController} from '../../helpers/controller.js'
import {seedApi} from '../../helpers/fetch-api.js'
import {runDeis} from '../../helpers/run.js'

describe('config:get and config --shell', () => {
  const ctl = useTestController({users: ['alice'], apps: ['example-app']}, async ctl => {
    await seedApi(ctl, 'POST', '/v2/apps/example-app/config/', {values: {GREETING: 'it\'s a  "fine" $day', PORT: '5000', URL: 'postgres://db/app?x=1'}})
  })

  it('config:get prints the raw value and nothing else', async () => {
    expect(await runDeis(ctl, ['config:get', 'GREETING', '--app', 'example-app'])).toEqual({exitCode: 0, stdout: 'it\'s a  "fine" $day\n', stderr: ''})
    expect(JSON.parse((await runDeis(ctl, ['config:get', 'PORT', '-a', 'example-app', '--json'])).stdout)).toEqual({key: 'PORT', value: '5000'})
  })

  it('config:get exits 1 for an unset key, saying so on stderr', async () => {
    expect(await runDeis(ctl, ['config:get', 'NOPE', '--app', 'example-app'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: NOPE is not set for example-app; see them all with `deis config --app example-app`\n',
    })
  })

  it('config --shell prints KEY=value lines that a shell reads back unchanged', async () => {
    const r = await runDeis(ctl, ['config', '--shell', '--app', 'example-app'])
    expect(r).toEqual({exitCode: 0, stdout: `GREETING='it'\\''s a  "fine" $day'\nPORT=5000\nURL='postgres://db/app?x=1'\n`, stderr: ''})
    const back = spawnSync('sh', ['-c', `${r.stdout}printf '%s|' "$GREETING" "$PORT" "$URL"`], {encoding: 'utf8'})
    expect(back.stdout).toBe('it\'s a  "fine" $day|5000|postgres://db/app?x=1|')
  })
})
