import {basename} from 'node:path'
import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {choosePublicKey, keyAddArgs, readPublicKey} from '../../src/ssh/public-key.js'
import type {Key} from '../../src/api/types.js'

export default class KeysAdd extends BaseCommand {
  static override args = {
    name: Args.string({description: 'the id to store the key under (default: the key comment, else the file name)'}),
    key: Args.string({description: 'path to the public key file (default: choose one of ~/.ssh/*.pub)'}),
  }

  static override description = 'upload an SSH public key so you can git push to your apps'
  static override examples = ['<%= config.bin %> keys:add ~/.ssh/id_ed25519.pub', '<%= config.bin %> keys:add laptop ~/.ssh/id_rsa.pub', '<%= config.bin %> keys:add']

  async run(): Promise<Key> {
    const {args} = await this.parse(KeysAdd)
    const {name, path} = keyAddArgs(args.name, args.key)
    const file = path === undefined ? await choosePublicKey(this.ctx.prompt, line => this.out.warn(line), this.ctx.env) : readPublicKey(path)
    return this.out.step(`Uploading ${basename(file.path)} to deis`, () => this.ctx.api.keys.create(name ?? file.id, file.public))
  }
}
