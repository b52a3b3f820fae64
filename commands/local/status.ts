import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {localPaths, localStatus, type LocalStatus} from '../../src/local/instance.js'
import {header, infoBlock} from '../../src/output/format.js'

export default class LocalStatusCommand extends BaseCommand {
  static override description = 'show whether the local controller runs, its URL and data dir'
  static override examples = ['<%= config.bin %> local:status', '<%= config.bin %> local:status --data-dir /tmp/example-app-controller --json']
  static override flags = {
    'data-dir': Flags.string({description: 'the data dir given to local:start (default: ~/.deis/local)', helpValue: '<dir>'}),
  }

  async run(): Promise<LocalStatus> {
    const {flags} = await this.parse(LocalStatusCommand)
    const status = localStatus(localPaths(flags['data-dir'], this.ctx.env))
    const rows: Array<[string, string]> = status.running
      ? [['status', 'running'], ['url', status.url!], ['pid', String(status.pid)]]
      : [['status', 'stopped']]
    this.out.log(header('Local controller'))
    for (const line of infoBlock([...rows, ['data dir', status.data_dir], ['log', status.log_file]])) this.out.log(line)
    return status
  }
}
