/** The only writer to stdout and stderr: data on stdout, progress and notes on stderr, colour on a TTY only. */
export type OutputOptions = {json: boolean; tty: boolean; color: boolean}

const FRAMES = ['...', 'o..', '.o.', '..o']

// The Go client's tablewriter with borders off: a space where the left and right borders would be, ` | ` between
// cells, and under the header a dash line with `+` at the ends and joins (cli-surface §5.2.4).
const GO_TABLE_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: ' ',
  'left-mid': '+',
  mid: '-',
  'mid-mid': '+',
  right: ' ',
  'right-mid': '+',
  middle: '|',
}

/**
 * The lines of the Go client's borderless table (cli-table3 draws it): centred headers, one rule under them,
 * left-aligned cells padded to the widest of their column, trailing spaces included.
 */
export async function goTable(head: string[], rows: string[][]): Promise<string[]> {
  const {default: Table} = await import('cli-table3')
  const table = new Table({
    // cli-table3 takes cell objects in `head` too (its typings say strings only): that is how headers centre
    head: head.map(content => ({content, hAlign: 'center'})) as unknown as string[],
    chars: GO_TABLE_CHARS,
    style: {head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1},
  })
  table.push(...rows)
  return table.toString().split('\n')
}

/**
 * Colour by the conventions (no-color.org, force-color.org): `--no-color` first, then a FORCE_COLOR other
 * than `0`/`false` colours even when piped, then a non-empty NO_COLOR (an empty one does not count) or
 * TERM=dumb turns it off; otherwise colour on a terminal only.
 */
export function colorWanted(tty: boolean, env: NodeJS.ProcessEnv, noColor: boolean): boolean {
  if (noColor) return false
  if (env.FORCE_COLOR && !/^(0|false)$/i.test(env.FORCE_COLOR)) return true
  if (env.NO_COLOR) return false
  return tty && env.TERM !== 'dumb'
}

export class Output {
  readonly opts: OutputOptions

  constructor(opts: OutputOptions) {
    this.opts = opts
  }

  /** Builds the output for this process from its environment (DEIS_FORCE_TTY, NO_COLOR, FORCE_COLOR) and `--no-color`. */
  static forProcess(json: boolean, env: NodeJS.ProcessEnv, noColor = false): Output {
    const forced = env.DEIS_FORCE_TTY === '1' || env.DEIS_FORCE_TTY === 'true'
    const tty = forced || Boolean(process.stderr.isTTY && process.stdout.isTTY)
    return new Output({json, tty, color: colorWanted(tty, env, noColor)})
  }

  /** A line of data on stdout; silent with --json, where the returned value is printed instead. */
  log(text = ''): void {
    if (!this.opts.json) process.stdout.write(`${text}\n`)
  }

  /** Raw data on stdout, unchanged. */
  write(text: string): void {
    process.stdout.write(text)
  }

  /** A remote process's output, verbatim, on stdout or (when it failed) stderr; silent with --json. */
  passthrough(text: string, toStderr: boolean): void {
    if (!this.opts.json) (toStderr ? process.stderr : process.stdout).write(text)
  }

  /** A success note or progress line on stderr; silent with --json. */
  note(text: string): void {
    if (!this.opts.json) process.stderr.write(`${text}\n`)
  }

  /** A warning on stderr, shown even with --json. */
  warn(text: string): void {
    process.stderr.write(`${text}\n`)
  }

  /** Pretty JSON on stdout. */
  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
  }

  color(code: number, text: string): string {
    return this.opts.color ? `\u001B[${code}m${text}\u001B[0m` : text
  }

  /**
   * Runs `work` behind a `<message>... ` line on stderr and ends it with `done` (or what `done` returns),
   * with the Go client's spinner on a TTY. On failure the line is left open so the error reads
   * `<message>... Error: <why>`.
   */
  async step<T>(message: string, work: () => Promise<T>, done?: (result: T) => string): Promise<T> {
    if (this.opts.json) return work()
    const err = process.stderr
    err.write(`${message}... `)
    let frame = 0
    const spin = this.opts.tty
      ? setInterval(() => {
          err.write(`${frame === 0 ? '' : '\b\b\b'}${FRAMES[frame % FRAMES.length]}`)
          frame++
        }, 400)
      : undefined
    const clear = () => {
      if (spin) clearInterval(spin)
      if (frame > 0) err.write('\b\b\b   \b\b\b')
    }
    try {
      const result = await work()
      clear()
      err.write(`${done ? done(result) : 'done'}\n`)
      return result
    } catch (error) {
      clear()
      throw error
    }
  }
}
