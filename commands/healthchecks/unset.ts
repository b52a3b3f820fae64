import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {applyConfig} from '../../src/app-config.js'
import {healthcheckLines} from '../../src/output/config-views.js'
import {nullValues} from '../../src/parse/key-values.js'
import {probeKey} from '../../src/parse/probe.js'
import type {Config} from '../../src/api/types.js'

export default class HealthchecksUnset extends BaseCommand {
  static override description = 'remove liveness and/or readiness probes of a process type'
  static override examples = ['<%= config.bin %> healthchecks:unset liveness readiness --type web --app example-app']
  static override flags = {
    app: app(),
    type: Flags.string({default: 'web/cmd', description: 'process type (default: web, or cmd for image apps)', helpValue: '<type>'}),
  }
  static override strict = false
  static override usage = 'healthchecks:unset <liveness|readiness>... [--type <type>] [--app <app>]'

  async run(): Promise<Config> {
    const {argv, flags} = await this.parse(HealthchecksUnset)
    const probes = nullValues((argv as string[]).map(probeKey), 'ex: deis healthchecks:unset liveness')
    const appId = await this.ctx.appId(flags.app)
    return applyConfig(this.ctx, 'Removing healthchecks', appId, {healthcheck: {[flags.type]: probes}}, c => healthcheckLines(appId, c, flags.type))
  }
}
