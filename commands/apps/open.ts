import {BaseCommand} from '../../src/command.js'
import {app} from '../../src/flags.js'
import {DeisError} from '../../src/errors.js'
import {appUrl} from '../../src/output/app-views.js'
import {openBrowser} from '../../src/browser.js'

export default class AppsOpen extends BaseCommand {
  static override aliases = ['open']
  static override description = 'open an app in the web browser and print its URL'
  static override examples = ['<%= config.bin %> apps:open --app example-app']
  static override flags = {app: app()}

  async run(): Promise<{url: string}> {
    const {flags} = await this.parse(AppsOpen)
    const appId = await this.ctx.appId(flags.app)
    const profile = this.ctx.profile()
    const first = (await this.ctx.api.domains.list(appId, {limit: 1})).results[0]?.domain
    if (!first) throw new DeisError(`No domain assigned to ${appId}`, {hint: `add one with \`deis domains:add <domain> --app ${appId}\``})
    const host = appUrl(profile.controller, first, profile.router)
    const url = /^https?:\/\//.test(host) ? host : `http://${host}`
    this.out.log(url)
    const problem = await openBrowser(url)
    if (problem) this.out.warn(`${problem}; open ${url} yourself`)
    return {url}
  }
}
