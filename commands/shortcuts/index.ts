import {BaseCommand} from '../../src/command.js'
import {shortcuts, type Shortcut} from '../../src/shortcuts.js'

export default class ShortcutsList extends BaseCommand {
  static override aliases = ['shortcuts:list']
  static override description = 'list the shortcut commands and what they run'
  static override examples = ['<%= config.bin %> shortcuts:list', '<%= config.bin %> shortcuts:list --json']

  async run(): Promise<Shortcut[]> {
    await this.parse(ShortcutsList)
    const list = shortcuts(this.config.commands)
    for (const s of list) this.out.log(`${s.alias} -> ${s.target}`)
    this.out.log()
    return list
  }
}
