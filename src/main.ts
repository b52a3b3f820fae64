import {ExitCode} from './errors.js'

/** Moves a leading `-c/--config <profile>` after the command word, where oclif parses it. */
export function reorderArgv(argv: string[]): string[] {
  const a = [...argv]
  if ((a[0] === '-c' || a[0] === '--config') && a.length > 2) return [a[2]!, a[0], a[1]!, ...a.slice(3)]
  if (a[0]?.startsWith('--config=') && a.length > 1) return [a[1]!, a[0], ...a.slice(2)]
  return a
}

/** One line per error: the message, then the fix; the stack only with DEIS_DEBUG=1. */
export function renderError(err: Error & {hint?: string | undefined}): string {
  const message = String(err.message || err).replace(/^Error: /, '')
  // duck-typed: oclif loads the command_not_found hook outside the bundle, with its own copy of src/errors
  const hint = typeof err.hint === 'string' ? err.hint : undefined
  const line = hint ? `${message.replace(/\.$/, '')}; ${hint}` : message
  return `Error: ${line}\n`
}

/** The one `Error:` line, and the stack after it with DEIS_DEBUG=1. */
function report(err: Error & {hint?: string | undefined}): void {
  process.stderr.write(renderError(err))
  if (/^(1|true)$/.test(process.env.DEIS_DEBUG ?? '') && err.stack) process.stderr.write(`${err.stack}\n`)
}

/**
 * Runs the oclif command tree and turns every failure into one `Error:` line and an exit code; `options`
 * lets the esbuild bundle (bin/bundle.js) point oclif at its own command table.
 */
export async function main(argv: string[], options: import('@oclif/core').Interfaces.LoadOptions = import.meta.url): Promise<void> {
  // A failure outside every command's handling (an event handler's throw, a promise nobody awaited) ends the same way,
  // not with Node's report, which quotes the source line: in the bundle, one line of the whole CLI.
  process.once('uncaughtException', error => {
    report(error)
    process.exit(ExitCode.failure)
  })
  const {run, flush, Errors} = await import('@oclif/core')
  const args = reorderArgv(argv)
  try {
    await run(args, options)
  } catch (error) {
    const err = error as Error & {oclif?: {exit?: number}; code?: string}
    if (err instanceof Errors.ExitError) {
      process.exitCode = err.oclif.exit
      return
    }
    process.exitCode = err.oclif?.exit ?? ExitCode.failure
    report(err)
  } finally {
    await flush()
  }
}
