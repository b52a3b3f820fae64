import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {UsageError} from '../../src/errors.js'
import {app} from '../../src/flags.js'
import {waitUntilUp, type TypeProgress} from '../../src/processes.js'

export default class PsWait extends BaseCommand {
  static override description = 'wait until every process of the current release is up (exit 1 on timeout, naming what is not up)'
  static override examples = ['<%= config.bin %> ps:wait --app example-app', '<%= config.bin %> ps:wait --type web --timeout 120 --app example-app']
  static override flags = {
    app: app(),
    timeout: Flags.integer({default: 300, description: 'seconds to wait before giving up', helpValue: '<seconds>', min: 1}),
    type: Flags.string({description: 'wait only for the processes of this type', helpValue: '<proctype>'}),
  }

  async run(): Promise<{app: string; release: string; processes: TypeProgress[]}> {
    const {flags} = await this.parse(PsWait)
    const appId = await this.ctx.appId(flags.app)
    const {api} = this.ctx
    const [{structure}, releases] = await Promise.all([api.apps.get(appId), api.releases.list(appId, {limit: 1})])
    const release = `v${releases.results[0]?.version ?? 0}`
    if (flags.type !== undefined && !(flags.type in structure)) throw new UsageError(`${appId} has no process type ${flags.type}`, `see them with \`deis ps --app ${appId}\``)
    const pods = async () => (await api.ps.list(appId)).results
    const wait = () => waitUntilUp({app: appId, release, structure, type: flags.type, timeoutMs: flags.timeout * 1000, pods})
    const processes = await this.out.step(`Waiting for the processes of ${appId} ${release}`, wait)
    return {app: appId, release, processes}
  }
}
