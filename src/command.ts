import {Command, Flags, Interfaces} from '@oclif/core'
import {Context} from './context.js'
import {DeisError, ExitCode, oneLineParseError, UsageError} from './errors.js'
import {Output} from './output/output.js'
import {closest} from './suggest.js'

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

/** Whether `--no-color` appears in raw argv before any `--`. */
export function noColorFromArgv(argv: string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes('--no-color')
}

/** The flags every command takes except `--json`; a command without JSON output uses these as its baseFlags. */
export const globalFlags = {
  config: Flags.string({char: 'c', description: 'profile name, or path to a profile .json file', helpGroup: 'GLOBAL', helpValue: '<profile>'}),
  'no-color': Flags.boolean({description: 'never colour the output (also NO_COLOR=1; FORCE_COLOR=1 colours even when piped)', helpGroup: 'GLOBAL'}),
}

/**
 * The parse error oclif raised, as one `Error: <what>; <fix>` line: an unknown flag gets the closest flag
 * of `command` as its fix, any other the pointer to `--help` (oclif's own text takes a second line).
 */
/** oclif's unknown-flag error as one line, with the closest flag of the command as a suggestion. */
function unknownFlagError(err: Error & {flags: string[]}, command: typeof Command, id: string): UsageError {
  const help = `see \`deis ${id} --help\``
  const names = Object.entries(aggregate(command)).flatMap(([name, f]) => [`--${name}`, ...(f.char ? [`-${f.char}`] : [])])
  const typo = err.flags[0]!.replace(/=.*/, '')
  const guess = closest(
    typo,
    names.filter(n => n.startsWith('--') === typo.startsWith('--')),
  )
  return new UsageError(`unknown flag ${err.flags.join(', ')}`, guess ? `did you mean ${guess}? (${help})` : help)
}

function aggregate(command: typeof Command): Record<string, {char?: string | undefined}> {
  return {...command.baseFlags, ...command.flags} as Record<string, {char?: string | undefined}>
}

/** Base of every command: `--json`, `-c/--config`, `--no-color`, a lazy Context and Output, and error translation. */
export abstract class BaseCommand extends Command {
  static override baseFlags: typeof globalFlags & {json?: Interfaces.BooleanFlag<boolean>} = {
    ...globalFlags,
    json: Flags.boolean({description: 'print what the command returns or did as JSON on stdout, instead of text', helpGroup: 'GLOBAL'}),
  }

  static override enableJsonFlag = true

  /** Whether the profile may come from the repository's `deis` remote; off where a profile is written (login). */
  static profileFromRemote = true

  private cachedCtx: Context | undefined
  private cachedOut: Output | undefined

  protected get out(): Output {
    this.cachedOut ??= Output.forProcess(this.jsonEnabled(), process.env, noColorFromArgv(this.argv))
    return this.cachedOut
  }

  protected get ctx(): Context {
    this.cachedCtx ??= new Context({env: process.env, out: this.out, configFlag: configFromArgv(this.argv)})
    return this.cachedCtx
  }

  protected override async init(): Promise<void> {
    await super.init()
    if ((this.ctor as typeof BaseCommand).profileFromRemote) await this.ctx.chooseProfileFromRemote()
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<void> {
    const flags = (error as {flags?: unknown}).flags
    const err: Error & {oclif?: {exit?: number | undefined}} = Array.isArray(flags)
      ? unknownFlagError(error as Error & {flags: string[]}, this.ctor, this.id ?? '')
      : oneLineParseError(error, this.id)
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
