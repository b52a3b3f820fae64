import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'

export default class KeysRemove extends BaseCommand {
  static override args = {id: Args.string({description: 'the id of the key (see keys:list)', required: true})}
  static override description = 'remove an SSH public key'
  static override examples = ['<%= config.bin %> keys:remove alice@laptop']

  async run(): Promise<{id: string; removed: true}> {
    const {args} = await this.parse(KeysRemove)
    await this.out.step(`Removing ${args.id} SSH Key`, () => this.ctx.api.keys.remove(args.id))
    return {id: args.id, removed: true}
  }
}
