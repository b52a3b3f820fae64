import {BaseCommand, globalFlags} from '../../src/command.js'
import {appCachePath, freshApps, writeAppCache} from '../../src/config/app-cache.js'

export default class AutocompleteApps extends BaseCommand {
  static override baseFlags = globalFlags
  static override description = 'print the app names completion offers: cached for 60 s, else asked of the controller and cached'
  static override enableJsonFlag = false
  static override examples = ['<%= config.bin %> autocomplete:apps --config staging']
  static override hidden = true

  async run(): Promise<void> {
    await this.parse(AutocompleteApps)
    const path = appCachePath(this.ctx.profilePath, this.ctx.env)
    let apps = freshApps(path)
    if (!apps) {
      apps = (await this.ctx.api.apps.list({all: true})).results.map(a => a.id).sort()
      writeAppCache(path, apps)
    }
    for (const a of apps) this.out.log(a)
  }
}
