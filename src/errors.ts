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
