import {Flags} from '@oclif/core'
import {resolve} from 'node:path'
import type {LocalInstance} from '../../src/controller/daemon.js'
import {BaseCommand} from '../../src/command.js'
import {startLocal} from '../../src/local/daemon-process.js'
import {localPaths, rememberDataDir} from '../../src/local/instance.js'
import {checkNativeModules} from '../../src/local/native.js'
import {choosePorts, readSavedPorts} from '../../src/local/ports.js'
import {dataDirHasUsers} from '../../src/controller/model/users.js'
import {adoptLocalAddresses} from '../../src/local/profile.js'

const port = (description: string) => Flags.integer({description, helpValue: '<port>', max: 65_535, min: 0})

export default class LocalStart extends BaseCommand {
  static override description = 'start the local controller in the background and print its URL'
  static override examples = [
    '<%= config.bin %> local:start',
    '<%= config.bin %> local:start --port 8001 --data-dir /tmp/example-app-controller',
    '<%= config.bin %> local:start --port 0',
    '<%= config.bin %> local:start --foreground',
    '<%= config.bin %> local:start --buildpack-dir /srv/buildpacks',
    '<%= config.bin %> local:start --registration enabled --max-body 4194304',
  ]
  static override flags = {
    'buildpack-dir': Flags.string({
      description: 'let users name local buildpacks under this directory in BUILDPACK_URL or .buildpacks (repeatable)',
      helpValue: '<dir>',
      multiple: true,
    }),
    'data-dir': Flags.string({description: 'where the controller keeps its database, pid file and log (default: $DEIS_LOCAL_DIR, else ~/.deis/local)', helpValue: '<dir>'}),
    foreground: Flags.boolean({description: 'run in this terminal until Ctrl-C instead of in the background'}),
    'max-body': Flags.integer({default: 1_048_576, description: 'largest request body in bytes; larger ones get a 413', helpValue: '<bytes>', min: 1}),
    port: port("API port on 127.0.0.1 (default: the last start's, else 8000); 0 also picks free ports for every port without its own flag"),
    'builder-port': port("SSH port git pushes go to (default: the last start's, else 2222; 0 picks a free one)"),
    'router-port': port("HTTP port apps answer on (default: the last start's, else 8080; 0 picks a free one)"),
    'router-https-port': port("HTTPS port apps answer on (default: the last start's, else 8443; 0 picks a free one)"),
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
    checkNativeModules()
    const saved = readSavedPorts(paths.dataDir)
    const choice = choosePorts(flags, saved)
    const started = await this.out.step(
      'Starting the local controller',
      () =>
        startLocal(paths, choice, flags.foreground, [
          ...['--registration', flags.registration, '--max-body', String(flags['max-body'])],
          ...(flags['buildpack-dir'] ?? []).flatMap(dir => ['--buildpack-dir', resolve(dir)]),
        ]),
      s => (s.already ? `already running (pid ${s.instance.pid})` : 'done'),
    )
    rememberDataDir(this.ctx.env, paths.dataDir)
    const {url, sandbox} = started.instance
    this.out.log(url)
    if (sandbox && !sandbox.isolated)
      this.out.warn(`Warning: apps are not isolated here (sandbox: ${sandbox.mechanism}), so this controller serves one user only; ${sandbox.fix}, then restart it`)
    const formerUrl = saved.port === undefined ? undefined : `http://127.0.0.1:${saved.port}`
    if (!adoptLocalAddresses(this.ctx.profilePath, started.instance, this.ctx.env, formerUrl)) {
      this.out.note(dataDirHasUsers(paths.dataDir) ? `Next: deis login ${url}` : `Next: deis register ${url}`)
    }
    if (started.exited) this.out.note('Running in the foreground; press Ctrl-C to stop')
    await started.exited
    return started.instance
  }
}
