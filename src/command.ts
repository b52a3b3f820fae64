import {Command, Flags, Interfaces} from '@oclif/core'
import {Context} from './context.js'
import {DeisError, ExitCode, oneLineParseError} from './errors.js'
import {Output} from './output/output.js'

/** The `-c/--config` value from raw argv (before or after the command word, never after `--`). */
export function configFromArgv(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') return undefined
    if (a === '-c' || a === '--config') return argv[i + 1]
    if (a.startsWith('--config=')) return a.slice('--config='.length)
    if (a.startsWith('-c') && a.length > 2 && !a.startsWith('--')) return a.slice(2)
  }
  return undefined
}

/** Base of every command: `--json`, `-c/--config`, a lazy Context and Output, and error translation. */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    config: Flags.string({char: 'c', description: 'profile name, or path to a profile .json file', helpGroup: 'GLOBAL', helpValue: '<profile>'}),
  }

  static override enableJsonFlag = true

  private cachedCtx: Context | undefined
  private cachedOut: Output | undefined

  protected get out(): Output {
    this.cachedOut ??= Output.forProcess(this.jsonEnabled(), process.env)
    return this.cachedOut
  }

  protected get ctx(): Context {
    this.cachedCtx ??= new Context({env: process.env, out: this.out, configFlag: configFromArgv(this.argv)})
    return this.cachedCtx
  }

  protected override async catch(raw: Error & {oclif?: {exit?: number}}): Promise<void> {
    const err: Error & {oclif?: {exit?: number}} = oneLineParseError(raw, this.id)
    const exit = err.oclif?.exit ?? ExitCode.failure
    process.exitCode = exit
    if (!this.jsonEnabled()) throw err
    const hint = err instanceof DeisError ? err.hint : undefined
    const status = (err as {status?: number}).status
    this.logJson({error: {message: err.message, exit, ...(status ? {status} : {}), ...(hint ? {hint} : {})}})
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    await this.cachedCtx?.close()
    await super.finally(err)
  }

  protected override toSuccessJson(result: unknown): unknown {
    return result
  }
}

export type FlagsOf<T extends typeof Command> = Interfaces.InferredFlags<T['flags'] & typeof BaseCommand.baseFlags>
