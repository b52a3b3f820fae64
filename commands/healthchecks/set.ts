import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyConfig} from '../../src/app-config.js'
import {healthcheckLines} from '../../src/output/config-views.js'
import {checkProcessType} from '../../src/parse/names.js'
import {buildProbe, probeKey} from '../../src/parse/probe.js'
import type {Config} from '../../src/api/types.js'

export default class HealthchecksSet extends BaseCommand {
  static override args = {
    health: Args.string({description: 'liveness or readiness', required: true}),
    probe: Args.string({description: 'httpGet, exec or tcpSocket', required: true}),
  }
  static override description = 'set a liveness or readiness probe for a process type'
  static override examples = [
    '<%= config.bin %> healthchecks:set liveness httpGet 5000 --path /healthz --type web --app example-app',
    '<%= config.bin %> healthchecks:set readiness exec --type worker --app example-app -- cat /tmp/healthy',
    '<%= config.bin %> healthchecks:set liveness tcpSocket 5432 --headers "X-Probe:1" --app example-app',
  ]
  static override flags = {
    app: app(),
    'failure-threshold': Flags.integer({default: 3, description: 'failures before the probe counts as failed'}),
    headers: Flags.string({description: 'httpGet headers, comma separated Name:Value items', helpValue: '<name:value,...>'}),
    'initial-delay-timeout': Flags.integer({default: 50, description: 'seconds before the first probe'}),
    path: Flags.string({char: 'p', default: '/', description: 'httpGet path'}),
    'period-seconds': Flags.integer({default: 10, description: 'seconds between probes'}),
    'success-threshold': Flags.integer({default: 1, description: 'successes after a failure before the probe counts as passing'}),
    'timeout-seconds': Flags.integer({default: 50, description: 'seconds before one probe times out'}),
    type: Flags.string({default: 'web/cmd', description: 'process type (default: web, or cmd for image apps)', helpValue: '<type>'}),
  }
  static override strict = false
  static override usage = 'healthchecks:set <liveness|readiness> <httpGet|exec|tcpSocket> [--] <args>... [--app <app>]'

  async run(): Promise<Config> {
    const {args, argv, flags} = await this.parse(HealthchecksSet)
    const key = probeKey(args.health)
    if (flags.type !== 'web/cmd') checkProcessType(flags.type, '--type')
    const probe = buildProbe(args.probe, (argv as string[]).slice(2), {
      initialDelaySeconds: flags['initial-delay-timeout'],
      timeoutSeconds: flags['timeout-seconds'],
      periodSeconds: flags['period-seconds'],
      successThreshold: flags['success-threshold'],
      failureThreshold: flags['failure-threshold'],
      path: flags.path,
      headers: flags.headers,
    })
    const appId = await this.ctx.appId(flags.app)
    return applyConfig(this.ctx, `Applying ${key} healthcheck`, appId, {healthcheck: {[flags.type]: {[key]: probe}}}, c => healthcheckLines(appId, c, flags.type))
  }
}
