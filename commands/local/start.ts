import {Flags} from '@oclif/core'
import type {LocalInstance} from '../../src/controller/daemon.js'
import {BaseCommand} from '../../src/command.js'
import {startLocal} from '../../src/local/daemon-process.js'
import {localPaths} from '../../src/local/instance.js'
import {adoptLocalAddresses} from '../../src/local/profile.js'

export default class LocalStart extends BaseCommand {
  static override description = 'start the local controller in the background and print its URL'
  static override examples = [
    '<%= config.bin %> local:start',
    '<%= config.bin %> local:start --port 8001 --data-dir /tmp/example-app-controller',
    '<%= config.bin %> local:start --foreground',
    '<%= config.bin %> local:start --registration enabled --max-body 4194304',
  ]
  static override flags = {
    'data-dir': Flags.string({description: 'where the controller keeps its database, pid file and log (default: ~/.deis/local)', helpValue: '<dir>'}),
    foreground: Flags.boolean({description: 'run in this terminal until Ctrl-C instead of in the background'}),
    'max-body': Flags.integer({default: 1_048_576, description: 'largest request body in bytes; larger ones get a 413', helpValue: '<bytes>', min: 1}),
    port: Flags.integer({default: 8000, description: 'port to listen on, on 127.0.0.1 (0 picks a free one)', helpValue: '<port>', max: 65_535, min: 0}),
    registration: Flags.string({
      default: 'admin_only',
      description: 'who may register: anyone (enabled), only admins once the first user exists (admin_only), or nobody (disabled)',
      helpValue: 'enabled|admin_only|disabled',
      async parse(input) {
        if (!['enabled', 'admin_only', 'disabled'].includes(input)) throw new Error(`expected enabled, admin_only or disabled for --registration, got "${input}"`)
        return input
      },
    }),
  }

  async run(): Promise<LocalInstance> {
    const {flags} = await this.parse(LocalStart)
    const paths = localPaths(flags['data-dir'], this.ctx.env)
    const started = await this.out.step(
      'Starting the local controller',
      () => startLocal(paths, flags.port, flags.foreground, ['--registration', flags.registration, '--max-body', String(flags['max-body'])]),
      s => (s.already ? `already running (pid ${s.instance.pid})` : 'done'),
    )
    const {url} = started.instance
    this.out.log(url)
    if (!adoptLocalAddresses(this.ctx.profilePath, started.instance, this.ctx.env)) this.out.note(`Next: deis register ${url}`)
    if (started.exited) this.out.note('Running in the foreground; press Ctrl-C to stop')
    await started.exited
    return started.instance
  }
}
