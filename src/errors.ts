import {Errors} from '@oclif/core'

/** The only place exit numbers appear; the README's exit-code table mirrors it (a test checks). */
export const ExitCode = {ok: 0, failure: 1, usage: 2, auth: 4, cancelled: 130} as const

type Opts = {exit?: number; hint?: string | undefined}

/** Base of every error the CLI raises on purpose: one readable message, an optional hint, an exit code. */
export class DeisError extends Errors.CLIError {
  readonly hint: string | undefined
  constructor(message: string, opts: Opts = {}) {
    super(message, {exit: opts.exit ?? ExitCode.failure})
    this.hint = opts.hint
  }
}

/** Bad arguments, no app to act on, a prompt needed without a TTY: exit 2. */
export class UsageError extends DeisError {
  constructor(message: string, hint?: string) {
    super(message, {exit: ExitCode.usage, hint})
  }
}

/** No token, or the controller answered 401: exit 4. */
export class AuthError extends DeisError {
  constructor(message: string, hint = 'log in with `deis login <controller>`') {
    super(message, {exit: ExitCode.auth, hint})
  }
}

/** The controller refused the request; the message is the controller's own, the hint ours. */
export class ApiError extends DeisError {
  readonly status: number
  readonly body: unknown
  constructor(message: string, status: number, body?: unknown, hint?: string) {
    super(message, {exit: ExitCode.failure, hint})
    this.status = status
    this.body = body
  }
}

/** The controller could not be reached (refused, reset, timed out, TLS). */
export class ConnectionError extends DeisError {
  constructor(message: string, hint?: string) {
    super(message, {exit: ExitCode.failure, hint})
  }
}

/** A confirmation was declined or the user pressed Ctrl-C. */
export class CancelledError extends DeisError {
  constructor(message = 'cancelled') {
    super(message, {exit: ExitCode.cancelled})
  }
}

const MORE_HELP = /\n?See more help with --help\s*$/

/**
 * oclif's parse errors as one line plus a fix: `Missing 2 required args:\nname  desc\n…`, `Parsing --x
 * \n\t<why>`, `The following errors occurred:\n  …` and the rest become `<what>; see \`deis <id> --help\``.
 * Anything else is returned as it is.
 */
export function oneLineParseError(err: Error, id: string | undefined): Error {
  if (err instanceof DeisError && !(err.message.includes('\n') && MORE_HELP.test(err.message))) return err
  const text = err.message
  if (!MORE_HELP.test(text) && !/^(Parsing --|Missing \d+ required arg|The following errors occurred)/.test(text)) return err
  const help = id ? `see \`deis ${id} --help\`` : 'see `deis help`'
  const body = text.replace(MORE_HELP, '')
  const missing = /^Missing (\d+) required args?:\n([\s\S]*)$/.exec(body)
  if (missing) {
    const names = missing[2]!
      .split('\n')
      .map(line => line.trim().split(/\s+/)[0])
      .filter(Boolean)
      .map(n => `<${n}>`)
    return new UsageError(`missing ${names.join(' and ')}`, help)
  }
  const parsing = /^Parsing (--\S+)\s*\n\s*([\s\S]*)$/.exec(body)
  if (parsing) return new UsageError(`${parsing[1]}: ${oneLine(parsing[2]!).replace(new RegExp(` for ${parsing[1]}`), '')}`, help)
  const several = /^The following errors occurred:\n([\s\S]*)$/.exec(body)
  const items = several
    ? several[1]!
        .split('\n')
        .map(s => s.trim())
        .filter(Boolean)
    : [oneLine(body)]
  const flags = items.map(i => /^Missing required flag (\S+)$/.exec(i)?.[1]).filter(Boolean)
  if (flags.length === items.length) return new UsageError(`missing ${flags.map(f => `--${f}`).join(', ')}`, help)
  return new UsageError(items.join(', '), help)
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map(s => s.trim())
    .filter(Boolean)
    .join(' ')
}
