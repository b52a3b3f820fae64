import {describe, expect, it} from 'vitest'
import {currentConfig} from '../../../src/controller/model/releases.js'
import {useTestController} from '../../helpers/controller.js'
import {runDeis} from '../../helpers/run.js'

describe('healthchecks:*', () => {
  const ctl = useTestController({users: ['alice', 'bob'], apps: ['example-app']})
  const hc = () => currentConfig(ctl.store, 'example-app').healthcheck

  it('healthchecks (bare topic) says none are configured', async () => {
    expect(await runDeis(ctl, ['healthchecks', '-a', 'example-app'])).toEqual({
      exitCode: 0,
      stdout: '=== example-app Healthchecks\nNo health checks configured.\n',
      stderr: '',
    })
  })

  it('healthchecks:set liveness httpGet sends every timing and header, then lists that type', async () => {
    const r = await runDeis(ctl, ['healthchecks:set', 'liveness', 'httpGet', '80', '--headers', 'X-A:1, X-B:2', '--type', 'web', '-a', 'example-app'])
    expect(r).toEqual({
      exitCode: 0,
      stdout: [
        '=== example-app Healthchecks',
        '',
        'web:',
        '--- Liveness',
        'Initial Delay (seconds): 50',
        'Timeout (seconds): 50',
        'Period (seconds): 10',
        'Success Threshold: 1',
        'Failure Threshold: 3',
        'Exec Probe: N/A',
        'HTTP GET Probe: Path="/" Port=80 HTTPHeaders=[X-A=1 X-B=2]',
        'TCP Socket Probe: N/A',
        '',
        '--- Readiness',
        'No readiness probe configured.',
        '',
      ].join('\n'),
      stderr: 'Applying livenessProbe healthcheck... done\n\n',
    })
    expect(hc().web?.livenessProbe).toEqual({
      initialDelaySeconds: 50,
      timeoutSeconds: 50,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
      httpGet: {
        path: '/',
        port: 80,
        httpHeaders: [
          {name: 'X-A', value: '1'},
          {name: 'X-B', value: '2'},
        ],
      },
    })
  })

  it('healthchecks:set readiness exec takes the command after --, default type web/cmd', async () => {
    const r = await runDeis(ctl, ['healthchecks:set', 'readiness', 'exec', '--period-seconds', '5', '-a', 'example-app', '--', 'cat', '-n', '/tmp/ok'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('web/cmd:\n--- Liveness\nNo liveness probe configured.\n\n--- Readiness\nInitial Delay (seconds): 50\n')
    expect(r.stdout).toContain('Exec Probe: Command=[cat -n /tmp/ok]\n')
    expect(hc()['web/cmd']?.readinessProbe).toMatchObject({periodSeconds: 5, exec: {command: ['cat', '-n', '/tmp/ok']}})
    const list = await runDeis(ctl, ['healthchecks:list', '-a', 'example-app'])
    expect(list.stdout.match(/^(\S+):$/gm)).toEqual(['web:', 'web/cmd:'])
  })

  it('rejects bad probe input with exit 2 and the controller liveness rule with exit 1', async () => {
    expect((await runDeis(ctl, ['healthchecks:set', 'startup', 'httpGet', '80', '-a', 'example-app'])).stderr).toBe(
      'Error: probe type startup is invalid. Must be one of [liveness readiness]; ex: healthchecks:set liveness httpGet 5000\n',
    )
    expect((await runDeis(ctl, ['healthchecks:set', 'liveness', 'grpc', '80', '-a', 'example-app'])).stderr).toBe(
      'Error: invalid probe type grpc. Must be one of: "httpGet", "exec", "tcpSocket"; ex: healthchecks:set liveness httpGet 5000\n',
    )
    const bad = await runDeis(ctl, ['healthchecks:set', 'liveness', 'tcpSocket', 'http', '-a', 'example-app'])
    expect(bad).toEqual({exitCode: 2, stdout: '', stderr: 'Error: could not parse port "http": expected a whole number; ex: healthchecks:set liveness tcpSocket 5000\n'})
    const live = await runDeis(ctl, ['healthchecks:set', 'liveness', 'tcpSocket', '5432', '--success-threshold', '2', '-a', 'example-app'])
    expect(live).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Applying livenessProbe healthcheck... Error: healthcheck: livenessProbe successThreshold can only be 1; a liveness probe takes --success-threshold 1 (the default)\n',
    })
    expect(Object.keys(hc())).toEqual(['web', 'web/cmd'])
  })

  it('healthchecks:unset removes probes of a type; 404 and 403 pass through', async () => {
    const r = await runDeis(ctl, ['healthchecks:unset', 'liveness', '--type', 'web', '-a', 'example-app'])
    expect(r).toMatchObject({exitCode: 0, stderr: 'Removing healthchecks... done\n\n'})
    expect(r.stdout).toBe('=== example-app Healthchecks\n\nweb:\n--- Liveness\nNo liveness probe configured.\n\n--- Readiness\nNo readiness probe configured.\n')
    expect(Object.keys(hc())).toEqual(['web/cmd'])
    expect((await runDeis(ctl, ['healthchecks', '-a', 'nope'])).stderr).toBe('Error: No App matches the given query; check the app name with `deis apps:list`\n')
    ctl.loginAs('bob')
    expect((await runDeis(ctl, ['healthchecks:unset', 'readiness', '-a', 'example-app'])).stderr).toBe(
      'Removing healthchecks... Error: You do not have permission to perform this action; ask the owner of example-app or an admin to give you access (`deis perms:create <username> -a example-app`)\n',
    )
    ctl.loginAs('alice')
    expect(Object.keys(hc())).toEqual(['web/cmd'])
  })
})
