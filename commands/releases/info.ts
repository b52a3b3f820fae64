import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {releaseInfoLines} from '../../src/output/config-views.js'
import {parseVersion} from '../../src/parse/key-values.js'
import type {Release} from '../../src/api/types.js'

export default class ReleasesInfo extends BaseCommand {
  static override args = {version: Args.string({description: 'the release, as v3 or 3', required: true})}
  static override description = 'show one release of an app'
  static override examples = ['<%= config.bin %> releases:info v3 --app example-app']
  static override flags = {app: app()}

  async run(): Promise<Release> {
    const {args, flags} = await this.parse(ReleasesInfo)
    const version = parseVersion(args.version)
    const appId = await this.ctx.appId(flags.app)
    const release = await this.ctx.api.releases.get(appId, version)
    for (const line of releaseInfoLines(appId, release)) this.out.log(line)
    return release
  }
}
