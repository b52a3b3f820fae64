import {Args} from '@oclif/core'
import {BaseCommand, globalFlags} from '../../src/command.js'
import {SHELLS, setupText, type Shell} from '../../src/completion.js'
import {UsageError} from '../../src/errors.js'

export default class Autocomplete extends BaseCommand {
  static override args = {shell: Args.string({description: 'bash, zsh or fish (default: from $SHELL)', options: [...SHELLS]})}
  static override baseFlags = globalFlags
  static override description = 'show how to set up Tab completion of commands, flags, profiles and apps'
  static override enableJsonFlag = false
  static override examples = ['<%= config.bin %> autocomplete', '<%= config.bin %> autocomplete zsh']

  async run(): Promise<void> {
    const {args} = await this.parse(Autocomplete)
    const fromEnv = (process.env.SHELL ?? '').split('/').pop() as Shell
    const shell = (args.shell as Shell | undefined) ?? (SHELLS.includes(fromEnv) ? fromEnv : undefined)
    if (!shell) throw new UsageError('cannot tell your shell from $SHELL', 'name it: `deis autocomplete bash`, `zsh` or `fish`')
    for (const line of setupText(shell, this.config.bin)) this.out.log(line)
  }
}
