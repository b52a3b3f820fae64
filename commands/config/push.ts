import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {setConfigValues} from '../../src/app-config.js'
import {readPushValues} from '../../src/env-file.js'
import type {Config} from '../../src/api/types.js'

export default class ConfigPush extends BaseCommand {
  static override description = 'set environment variables of an app from a dotenv file or stdin'
  static override examples = ['<%= config.bin %> config:push --path .env.production --app example-app', 'cat .env | <%= config.bin %> config:push --app example-app']
  static override flags = {
    app: app(),
    path: Flags.string({char: 'p', description: 'dotenv file to read (default: piped stdin, else .env)', helpValue: '<file>'}),
  }

  async run(): Promise<Config> {
    const {flags} = await this.parse(ConfigPush)
    const values = await readPushValues(this.ctx, flags.path)
    const appId = await this.ctx.appId(flags.app)
    return setConfigValues(this.ctx, appId, values)
  }
}
