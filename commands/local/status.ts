import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/command.js'
import {localPaths, localStatus, type LocalStatus} from '../../src/local/instance.js'
import {header, infoBlock, processSummary} from '../../src/output/format.js'
import {exposedListeners, readRuntimeStatus, type RuntimeStatus} from '../../src/controller/runtime/status.js'

export default class LocalStatusCommand extends BaseCommand {
  static override description = 'show whether the local controller runs, its addresses, data dir and apps'
  static override examples = ['<%= config.bin %> local:status', '<%= config.bin %> local:status --data-dir /tmp/example-app-controller --json']
  static override flags = {
    'data-dir': Flags.string({description: 'the data dir given to local:start (default: ~/.deis/local)', helpValue: '<dir>'}),
  }

  async run(): Promise<LocalStatus & Partial<RuntimeStatus>> {
    const {flags} = await this.parse(LocalStatusCommand)
    const status = localStatus(localPaths(flags['data-dir'], this.ctx.env))
    const rows: Array<[string, string]> = status.running
      ? [
          ['status', 'running'],
          ['url', status.url!],
          ['pid', String(status.pid)],
        ]
      : [['status', 'stopped']]
    const rt = status.running ? readRuntimeStatus(status.data_dir) : undefined
    if (rt) rows.push(['builder', rt.builder], ['router', `${rt.router}, ${rt.router_https} (apps at <app>.${rt.platform_domain})`])
    this.out.log(header('Local controller'))
    for (const line of infoBlock([...rows, ['data dir', status.data_dir], ['log', status.log_file]])) this.out.log(line)
    if (!rt) return status
    this.out.log('')
    this.out.log(header('Apps'))
    for (const app of rt.apps) {
      this.out.log(`${app.id}: ${processSummary(app.processes)}`)
      if (app.not_enforced.length > 0) this.out.log(`  stored, not enforced here: ${app.not_enforced.join(', ')}`)
      for (const proc of app.listening ?? []) {
        const exposed = proc.pid ? exposedListeners(proc.pid) : []
        if (exposed.length > 0)
          this.out.warn(
            `${proc.name} listens on ${exposed.join(', ')}, which other machines can reach without the router (its whitelist and maintenance mode); make the app listen on $HOST (127.0.0.1)`,
          )
      }
    }
    return {...status, ...rt}
  }
}
