import {DeisError} from '../errors.js'

/**
 * The Go client's text for an empty log (cli-surface §7.4), kept only for a 204 or an empty body;
 * every other failure shows the controller's own error (§13.2).
 */
export const NO_LOGS_MESSAGE = [
  'There are currently no log messages. Please check the following things:',
  '1) Logger and fluentd pods are running: kubectl --namespace=deis get pods.',
  '2) The application is writing logs to the logger component by checking that an entry in the ring buffer was created: kubectl --namespace=deis logs <logger pod>',
  '3) Making sure that the container logs were mounted properly into the fluentd pod: kubectl --namespace=deis exec <fluentd pod> ls /var/log/containers',
  '3a) If the above command returns saying /var/log/containers cannot be found then please see the following github issue for a workaround: https://github.com/deis/logger/issues/50',
].join('\n')

/** `text` cut into lines, without the empty string a trailing newline would leave. */
export function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

type Tag = {source: string; type: string}

// `<time> <name>[<proc>]: <message>`: `example-app[web.v3.x8k2q]` (deis-logger), `example-app[web.1]` (the
// local controller's earlier format) and `deis[controller]: INFO ...` (controller events)
const TAGGED = /^\S+ ([^\s[\]]+\[([^\]\s]*)\]):/
// older loggers: `<pod> -- <message>` (pod `<app>-<type>-<hash>-<suffix>`) and `INFO [<app>]: <message>`
const POD_LINE = /^(?:\S+ )?(([a-z0-9-]+)-[0-9a-z]{7,10}-[a-z0-9]{5}) -- /
const OLD_EVENT = /^(?:\S+ )?INFO \[[^\]\s]+\]: /

/**
 * The source tag of a log line and its process type (`example-app[web.v3.x8k2q]` -> `web`,
 * `deis[controller]` -> `controller`), in any format controller-api.md §4.6 lists. For `<pod> -- `
 * lines the type is what follows the app's name in the pod's (its last word when `app` is not known).
 */
export function lineTag(line: string, app?: string): Tag | undefined {
  const m = TAGGED.exec(line)
  if (m) {
    const proc = m[2]!
    const dot = proc.indexOf('.')
    return {source: m[1]!, type: dot === -1 ? proc : proc.slice(0, dot)}
  }
  if (OLD_EVENT.test(line)) return {source: 'deis[controller]', type: 'controller'}
  const pod = POD_LINE.exec(line)
  if (!pod) return undefined
  const prefix = pod[2]!
  const type = app && prefix.startsWith(`${app}-`) ? prefix.slice(app.length + 1) : prefix.slice(prefix.lastIndexOf('-') + 1)
  return {source: pod[1]!, type}
}

const PALETTE = [36, 32, 33, 34, 31, 96, 92, 93, 94, 91]

/**
 * The ANSI colour of a line: magenta for controller events (`deis[...]`, and the older `INFO ...`
 * lines, as the Go client does), else one picked by the source tag so each process keeps its colour.
 */
export function lineColor(line: string, tag: Tag | undefined = lineTag(line)): number | undefined {
  if (!tag) return line.startsWith('INFO ') ? 35 : undefined
  if (tag.source.startsWith('deis[')) return 35
  let hash = 0
  for (let i = 0; i < tag.source.length; i++) hash = (hash * 31 + tag.source.charCodeAt(i)) >>> 0
  return PALETTE[hash % PALETTE.length]
}

export type Paint = (code: number, text: string) => string

/** Colours one line by its process, or returns it unchanged without a painter. */
export function paintLine(line: string, paint: Paint | undefined): string {
  if (!paint) return line
  const code = lineColor(line)
  return code === undefined ? line : paint(code, line)
}

/** The lines of a `logs` answer kept by `--type`; an empty answer (204) is the Go client's error. */
export function logLines(body: string, type: string | undefined, app?: string): string[] {
  const lines = splitLines(body)
  if (lines.every(l => l.trim() === '')) throw new DeisError(NO_LOGS_MESSAGE)
  return type === undefined ? lines : lines.filter(l => lineTag(l, app)?.type === type)
}

/**
 * A function turning streamed text (whole lines, each ending in `\n`) into what to print: lines of
 * other process types dropped, each line coloured. Without a filter or painter the text passes as is.
 */
export function logPrinter(o: {type?: string | undefined; paint?: Paint | undefined; app?: string | undefined}): (text: string) => string {
  const {type, paint, app} = o
  if (type === undefined && !paint) return text => text
  return text => {
    let out = ''
    for (const line of splitLines(text)) {
      const tag = lineTag(line, app)
      if (type !== undefined && tag?.type !== type) continue
      const code = paint ? lineColor(line, tag) : undefined
      out += `${code === undefined || !paint ? line : paint(code, line)}\n`
    }
    return out
  }
}

/**
 * Where a new window of the log continues what was already printed: the largest `j` such that the
 * lines before `window[j]` end like `seen` does (all of `seen`, or, when the window starts inside
 * `seen`, its last `j` lines); `window.slice(j)` is new. Identical lines are told apart by their
 * neighbours; only a stretch of one repeated line longer than the overlap stays ambiguous.
 */
export function overlapEnd(seen: readonly string[], window: readonly string[]): number {
  if (seen.length === 0) return 0
  const last = seen[seen.length - 1]
  for (let j = window.length; j > 0; j--) {
    if (window[j - 1] !== last) continue
    const m = Math.min(j, seen.length)
    let i = 2
    while (i <= m && window[j - i] === seen[seen.length - i]) i++
    if (i > m) return j
  }
  return 0
}

/**
 * The lines of `window` not in `prev`, two answers of the same `log_lines=N` request. A window longer
 * than the one before means the log was shorter than N then, so `prev` is its start and everything
 * after it is new (exact even for runs of identical lines); otherwise the ring buffer has moved and
 * the overlap decides.
 */
export function newLines(prev: readonly string[], window: readonly string[]): string[] {
  if (window.length > prev.length && prev.every((line, i) => window[i] === line)) return window.slice(prev.length)
  return window.slice(overlapEnd(prev, window))
}

/** The last `size` printed lines, for overlap matching. */
export class Tail {
  private buf: string[] = []
  constructor(readonly size: number) {}

  get lines(): readonly string[] {
    if (this.buf.length > this.size) this.buf = this.buf.slice(-this.size)
    return this.buf
  }

  push(lines: readonly string[]): void {
    for (const l of lines) this.buf.push(l)
    if (this.buf.length > this.size * 2) this.buf = this.buf.slice(-this.size)
  }
}
