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
    '<%= config.bin %> local:start --buildpack-dir /srv/buildpacks',
  ]
  static override flags = {
    'buildpack-dir': Flags.string({
      description: 'let users name local buildpacks under this directory in BUILDPACK_URL or .buildpacks (repeatable)',
      helpValue: '<dir>',
      multiple: true,
    }),
    'data-dir': Flags.string({description: 'where the controller keeps its database, pid file and log (default: ~/.deis/local)', helpValue: '<dir>'}),
    foreground: Flags.boolean({description: 'run in this terminal until Ctrl-C instead of in the background'}),
    port: Flags.integer({default: 8000, description: 'port to listen on, on 127.0.0.1 (0 picks a free one)', helpValue: '<port>', max: 65_535, min: 0}),
  }

  async run(): Promise<LocalInstance> {
    const {flags} = await this.parse(LocalStart)
    const paths = localPaths(flags['data-dir'], this.ctx.env)
    const started = await this.out.step(
      'Starting the local controller',
      () => startLocal(paths, flags.port, flags.foreground, flags['buildpack-dir'] ?? []),
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
