import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {UsageError} from '../../src/errors.js'
import {commandLine} from '../../src/shell-quote.js'
import type {RunResult} from '../../src/api/types.js'

export default class AppsRun extends BaseCommand {
  static override aliases = ['run']
  static override description = 'run a one-off command in a new process of an app and exit with its exit code'
  static override examples = [
    '<%= config.bin %> apps:run python manage.py migrate --app example-app',
    '<%= config.bin %> run --app example-app "cat Procfile; env"',
    "<%= config.bin %> run --app example-app -- sh -c 'echo out; exit 3'",
  ]
  static override flags = {app: app()}
  static override strict = false
  static override usage = '[--app <app>] [--] <command>...'

  async run(): Promise<RunResult> {
    const {argv, flags} = await this.parse(AppsRun)
    const command = commandLine(argv as string[])
    if (command.trim() === '') throw new UsageError('no command given', 'ex: deis run --app example-app -- ls -la')
    const appId = await this.ctx.appId(flags.app)
    this.out.note(`Running '${command}'...`)
    const result = await this.ctx.api.ps.run(appId, command)
    this.out.passthrough(result.output, result.exit_code !== 0)
    process.exitCode = result.exit_code
    return result
  }
}
