import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {stopLocal} from '../../src/local/daemon-process.js'
import {findLocal} from '../../src/local/instance.js'

export default class LocalStop extends BaseCommand {
  static override description = 'stop the local controller started by local:start'
  static override examples = ['<%= config.bin %> local:stop', '<%= config.bin %> local:stop --data-dir /tmp/example-app-controller']
  static override flags = {
    'data-dir': Flags.string({
      description: 'the data dir given to local:start (default: $DEIS_LOCAL_DIR, else the most recently started running one, else ~/.deis/local)',
      helpValue: '<dir>',
    }),
  }

  async run(): Promise<{stopped: boolean; pid?: number}> {
    const {flags} = await this.parse(LocalStop)
    const paths = findLocal(flags['data-dir'], this.ctx.env)
    const rec = await this.out.step(
      'Stopping the local controller',
      () => stopLocal(paths),
      r => (r ? 'done' : 'not running'),
    )
    return rec ? {stopped: true, pid: rec.pid} : {stopped: false}
  }
}
