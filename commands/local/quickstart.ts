import {BaseCommand} from '../../src/command.js'
import {quickstart, type QuickstartResult} from '../../src/local/quickstart.js'

export default class LocalQuickstart extends BaseCommand {
  static override description =
    'deploy the sample app end to end on a throw-away local controller (register, keys:add, create, git push, scale, config:set, logs, destroy), then remove everything'
  static override examples = ['<%= config.bin %> local:quickstart']

  async run(): Promise<QuickstartResult> {
    const result = await quickstart(this.out)
    const total = result.steps.reduce((sum, s) => sum + s.seconds, 0)
    this.out.note(`\nQuickstart finished in ${total.toFixed(1)}s; everything it made is gone again.`)
    this.out.log(`The app answered at ${result.url}`)
    this.out.log('Next, to keep one: deis local:start, deis register http://127.0.0.1:8000, deis keys:add, then in your app: deis create, git push deis main')
    return result
  }
}
