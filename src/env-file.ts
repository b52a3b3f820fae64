import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import {resolve} from 'node:path'
import type {Context} from './context.js'
import {DeisError, UsageError} from './errors.js'
import {dotenvLine} from './output/config-views.js'
import {parseKeyValues} from './parse/key-values.js'

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Where a quoted value that starts at `from` in `lines[at]` closes: the line index, or -1 when it never does. */
function closingLine(lines: string[], at: number, from: number, quote: string): {line: number; rest: string} | undefined {
  let text = lines[at]!.slice(from)
  for (let i = at; i < lines.length; i++) {
    for (let c = 0; c < text.length; c++) {
      if (quote === '"' && text[c] === '\\') c++
      else if (text[c] === quote) return {line: i, rest: text.slice(c + 1)}
    }
    text = lines[i + 1] ?? ''
  }
  return undefined
}

/**
 * The line numbers dotenv would drop or misread, each with why: lines that are not `KEY=VALUE`, a
 * comment or blank; keys config:set refuses; quotes never closed (dotenv keeps the quote in the value);
 * text after a closing quote.
 */
export function malformedLines(text: string): string[] {
  const lines = text.split(/\r?\n/)
  const bad: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === '' || line.trim().startsWith('#')) continue
    const m = /^\s*(?:export\s+)?([^=\s]*)\s*=\s*(.*)$/.exec(line)
    if (!m) {
      bad.push(`${i + 1} (not KEY=VALUE)`)
      continue
    }
    if (!CONFIG_KEY.test(m[1]!)) bad.push(`${i + 1} (key ${JSON.stringify(m[1])})`)
    const value = m[2]!
    const quote = value[0]
    if (quote !== '"' && quote !== "'" && quote !== '`') continue
    const close = closingLine(lines, i, line.length - value.length + 1, quote)
    if (!close) {
      bad.push(`${i + 1} (the ${quote} quote is never closed)`)
      continue
    }
    // dotenv reads `'it''s'` whole, outer quotes dropped, when the line also ends with the quote
    const whole = close.line === i && value.trimEnd().endsWith(quote)
    if (!whole && close.rest.trim() !== '' && !close.rest.trim().startsWith('#')) bad.push(`${close.line + 1} (text after the closing quote)`)
    i = close.line
  }
  return bad
}

/** Parses dotenv text (quotes, `export`, comments, multi-line values) and checks the keys as config:set does. */
export async function parseEnvText(text: string, source: string): Promise<Record<string, string>> {
  const bad = malformedLines(text)
  if (bad.length > 0) {
    const which = bad.length === 1 ? `line ${bad[0]}` : `lines ${bad.join(', ')}`
    throw new UsageError(`${source}: malformed ${which}; nothing was applied`, 'make each line KEY=VALUE, a # comment or blank, and close every quote')
  }
  const {parse} = await import('dotenv')
  const pairs = Object.entries(parse(text)).map(([k, v]) => `${k}=${v}`)
  if (pairs.length === 0) throw new UsageError(`no KEY=VALUE lines found in ${source}`, 'pass --path <file> or pipe a dotenv file on stdin')
  return parseKeyValues(pairs)
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function readFile(ctx: Context, path: string): string {
  try {
    return readFileSync(resolve(ctx.cwd, path), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a directory' : code === 'EACCES' ? ': permission denied' : ''
    throw new UsageError(`cannot read ${path}${why}`, 'pass --path <file> or pipe a dotenv file on stdin')
  }
}

/** `config:push` input: `--path`, else piped stdin (when not empty), else `./.env`. */
export async function readPushValues(ctx: Context, path: string | undefined): Promise<Record<string, string>> {
  if (path !== undefined) return parseEnvText(readFile(ctx, path), path)
  if (!process.stdin.isTTY) {
    const text = await readStdin()
    if (text.trim() !== '') return parseEnvText(text, 'stdin')
  }
  return parseEnvText(readFile(ctx, '.env'), '.env')
}

function readLocal(file: string, path: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (error as Error).message
    throw new DeisError(`cannot read ${path}: ${why}`, {hint: 'pass --path <file> naming a dotenv file'})
  }
}

/**
 * `config:pull` into a file (0600). A new file gets the app's values; an existing one needs
 * `overwrite` (app values win, local-only keys stay) or `interactive` (asks per differing key).
 */
export async function pullToFile(
  ctx: Context,
  path: string,
  remote: Record<string, string>,
  opts: {overwrite: boolean; interactive: boolean},
): Promise<Record<string, string>> {
  const file = resolve(ctx.cwd, path)
  let merged = {...remote}
  if (existsSync(file)) {
    if (!opts.overwrite && !opts.interactive) {
      throw new DeisError(`${path} already exists`, {hint: 'pass -o/--overwrite to merge the app values into it, or -i/--interactive to choose key by key'})
    }
    const {parse} = await import('dotenv')
    const local = parse(readLocal(file, path))
    merged = {...local, ...remote}
    if (opts.interactive) {
      for (const key of Object.keys(remote).sort()) {
        if (!(key in local) || local[key] === remote[key]) continue
        if (!(await ctx.prompt.ask(`${key}: overwrite ${local[key]} with ${remote[key]}?`, 'overwrite'))) merged[key] = local[key]!
      }
    }
  }
  const text = Object.keys(merged)
    .sort()
    .map(k => `${dotenvLine(k, merged[k]!)}\n`)
    .join('')
  try {
    writeFileSync(file, text, {mode: 0o600})
    chmodSync(file, 0o600)
  } catch (error) {
    throw new DeisError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`, {
      hint: 'pass --path <file> naming a file',
    })
  }
  return merged
}
