import type {Hook} from '@oclif/core'
import {UsageError} from '../errors.js'
import {findPlugin, runPlugin} from '../plugins.js'
import {Prompt} from '../prompt/prompt.js'
import {closest} from '../suggest.js'

/**
 * oclif's `command_not_found` hook: a `deis-<word>` plugin on PATH runs first, as in the Go client; else the
 * closest command is suggested (exit 2) and, on a terminal, offered to run instead.
 */
const hook: Hook<'command_not_found'> = async function (opts) {
  const {id, argv = [], config} = opts
  const plugin = findPlugin(id, process.env)
  if (plugin) {
    process.exitCode = await runPlugin(plugin, [id, ...argv], process.env)
    return
  }
  const visible = config.commands.filter(c => !c.hidden)
  const suggestion = closest(id, [...visible.map(c => c.id), ...visible.flatMap(c => c.aliases)])
  const fix = suggestion ? `did you mean \`deis ${[suggestion, ...argv].join(' ')}\`?` : 'run `deis help` to list the commands'
  const prompt = Prompt.forProcess()
  if (!suggestion || !prompt.interactive) throw new UsageError(`command ${id} not found`, fix)
  process.stderr.write(`Warning: command ${id} not found\n`)
  await prompt.yes(`Run \`deis ${[suggestion, ...argv].join(' ')}\` instead?`, false, `command ${id} not found`)
  return config.runCommand(suggestion, argv)
}

export default hook
