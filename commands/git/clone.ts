import {Args} from '@oclif/core'
import {existsSync, readdirSync} from 'node:fs'
import {resolve} from 'node:path'
import {BaseCommand} from '../../src/command.js'
import {UsageError} from '../../src/errors.js'
import {app, remote} from '../../src/flags.js'
import {cloneApp} from '../../src/git/code.js'
import {remoteUrl} from '../../src/git/remote.js'

export default class GitClone extends BaseCommand {
  static override args = {dir: Args.string({description: 'the directory to clone into (default: the app name)'})}
  static override description = "clone an app's code from its builder, with the git remote set up for pushes"
  static override examples = ['<%= config.bin %> git:clone --app example-app', '<%= config.bin %> git:clone --app example-app ~/src/example']
  static override flags = {app: app(), remote: remote()}

  async run(): Promise<{app: string; dir: string; remote: string; url: string}> {
    const {args, flags} = await this.parse(GitClone)
    const appId = await this.ctx.appId(flags.app)
    const dir = resolve(this.ctx.cwd, args.dir ?? appId)
    if (existsSync(dir) && readdirSync(dir).length > 0)
      throw new UsageError(`${dir} already exists and is not empty`, `name another directory: deis git:clone --app ${appId} <dir>`)
    const url = remoteUrl(this.ctx.profile(), appId)
    await cloneApp(this.ctx.cwd, url, dir, flags.remote)
    this.out.note(`Cloned ${appId} into ${dir}; git remote ${flags.remote} points at ${url}.`)
    return {app: appId, dir, remote: flags.remote, url}
  }
}
