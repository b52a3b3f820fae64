import {CancelledError, DeisError, UsageError} from '../errors.js'

/** Asks the user, through inquirer, only on a TTY; without one a missing answer is a usage error naming its flag. */
export class Prompt {
  constructor(readonly interactive: boolean) {}

  static forProcess(): Prompt {
    return new Prompt(Boolean(process.stdin.isTTY && process.stdout.isTTY))
  }

  /** Returns `given`, or asks for it; `flag` names the option that answers without a prompt. */
  async text(message: string, given: string | undefined, flag: string): Promise<string> {
    if (given !== undefined) return given
    this.needTty(flag)
    const {input} = await import('@inquirer/prompts')
    return guard(() => input({message, required: true}))
  }

  async password(message: string, given: string | undefined, flag: string, confirmMessage?: string, mismatch?: string): Promise<string> {
    if (given !== undefined) return given
    this.needTty(flag)
    const {password} = await import('@inquirer/prompts')
    const first = await guard(() => password({message, mask: false}))
    if (confirmMessage) {
      const second = await guard(() => password({message: confirmMessage, mask: false}))
      if (first !== second) throw new DeisError(mismatch ?? 'passwords do not match')
    }
    return first
  }

  /** A yes/no question answered by `--yes`; declining throws CancelledError. */
  async yes(question: string, yesFlag: boolean | undefined, declined: string): Promise<void> {
    if (yesFlag) return
    this.needTty('yes')
    const {confirm} = await import('@inquirer/prompts')
    if (!(await guard(() => confirm({message: question, default: false})))) throw new CancelledError(declined)
  }

  /** A yes/no question defaulting to no, answered true or false; without a TTY a UsageError naming `flag`. */
  async ask(question: string, flag: string): Promise<boolean> {
    this.needTty(flag)
    const {confirm} = await import('@inquirer/prompts')
    return guard(() => confirm({message: question, default: false}))
  }

  /** The Go client's destructive-action guard: the user must type the app name, or pass --confirm=<app>. */
  async confirmName(appId: string, given: string | undefined, warn: (text: string) => void, action = 'destroy the application'): Promise<void> {
    let typed = given
    if (typed === undefined) {
      this.needTty('confirm', `--confirm=${appId}`)
      warn(
        [
          ' !    WARNING: Potentially Destructive Action',
          ` !    This command will ${action}: ${appId}`,
          ` !    To proceed, type "${appId}" or re-run this command with --confirm=${appId}`,
          '',
        ].join('\n'),
      )
      const {input} = await import('@inquirer/prompts')
      typed = await guard(() => input({message: '>'}))
    }
    if (typed !== appId) throw new CancelledError(`App ${appId} does not match confirm ${typed}, aborting.`)
  }

  /** Throws the no-terminal usage error, telling the user to pass `example` instead, unless prompts can be shown. */
  requireTty(example: string): void {
    this.needTty('', example)
  }

  /** One of `choices`, picked with the arrow keys (call requireTty first when building the choices costs). */
  async select<T>(message: string, choices: Array<{name: string; value: T}>, example: string): Promise<T> {
    this.needTty('', example)
    const {select} = await import('@inquirer/prompts')
    return guard(() => select({message, choices}))
  }

  private needTty(flag: string, example = `--${flag}`): void {
    if (!this.interactive) throw new UsageError('no terminal to prompt on', `pass ${example}`)
  }
}

async function guard<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask()
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new CancelledError()
    throw error
  }
}
