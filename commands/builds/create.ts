import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {parseProcfileFlag} from '../../src/parse/key-values.js'
import type {Build} from '../../src/api/types.js'

export default class BuildsCreate extends BaseCommand {
  static override aliases = ['pull']
  static override args = {image: Args.string({description: 'the Docker image to deploy, with its tag (deis/example-go:latest)', required: true})}
  static override description = 'deploy a Docker image as a new build and release'
  static override examples = [
    '<%= config.bin %> builds:create deis/example-go:latest --app example-app',
    '<%= config.bin %> builds:create deis/example-go:latest --procfile "web: ./server" --app example-app',
  ]
  static override flags = {
    app: app(),
    procfile: Flags.string({char: 'p', description: 'process types as YAML, "<type>: <command>" per line', helpValue: '<yaml>'}),
  }

  async run(): Promise<Build> {
    const {args, flags} = await this.parse(BuildsCreate)
    const procfile = flags.procfile === undefined ? undefined : parseProcfileFlag(flags.procfile)
    const appId = await this.ctx.appId(flags.app)
    return this.out.step('Creating build', () => this.ctx.api.builds.create(appId, args.image, procfile))
  }
}
