import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {parseVersion} from '../../src/parse/key-values.js'

export default class ReleasesRollback extends BaseCommand {
  static override aliases = ['rollback']
  static override args = {version: Args.string({description: 'the release to return to, as v3 or 3 (default: the one before the current)'})}
  static override description = 'roll an app back to an earlier release (creates a new release)'
  static override examples = ['<%= config.bin %> releases:rollback --app example-app', '<%= config.bin %> releases:rollback v3 --app example-app']
  static override flags = {app: app()}

  async run(): Promise<{version: number}> {
    const {args, flags} = await this.parse(ReleasesRollback)
    const target = args.version === undefined ? undefined : parseVersion(args.version)
    const appId = await this.ctx.appId(flags.app)
    const message = target === undefined ? 'Rolling back one release' : `Rolling back to v${target}`
    const version = await this.out.step(
      message,
      () => this.ctx.api.releases.rollback(appId, target),
      v => `done, v${v}`,
    )
    return {version}
  }
}
