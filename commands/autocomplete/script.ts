import {Args} from '@oclif/core'
import {BaseCommand, globalFlags} from '../../src/command.js'
import {completionScript, SHELLS, type CommandInfo, type Shell} from '../../src/completion.js'

export default class AutocompleteScript extends BaseCommand {
  static override args = {shell: Args.string({description: 'the shell to complete in', options: [...SHELLS], required: true})}
  static override baseFlags = globalFlags
  static override description = 'print the completion script for a shell, to source or save'
  static override enableJsonFlag = false
  static override examples = [
    '<%= config.bin %> autocomplete:script zsh',
    'eval "$(<%= config.bin %> autocomplete:script bash)"',
    '<%= config.bin %> autocomplete:script fish > ~/.config/fish/completions/deis.fish',
  ]

  async run(): Promise<void> {
    const {args} = await this.parse(AutocompleteScript)
    this.out.write(completionScript(args.shell as Shell, this.config.commands as unknown as CommandInfo[], this.config.bin))
  }
}
