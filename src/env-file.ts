import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import {resolve} from 'node:path'
import type {Context} from './context.js'
import {DeisError, UsageError} from './errors.js'
import {dotenvLine} from './output/config-views.js'
import {parseKeyValues} from './parse/key-values.js'

/** Parses dotenv text (quotes, `export`, comments, multi-line values) and checks the keys as config:set does. */
export async function parseEnvText(text: string, source: string): Promise<Record<string, string>> {
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
  } catch {
    throw new UsageError(`cannot read ${path}`, 'pass --path <file> or pipe a dotenv file on stdin')
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

/**
 * `config:pull` into a file (0600). A new file gets the app's values; an existing one needs
 * `overwrite` (app values win, local-only keys stay) or `interactive` (asks per differing key).
 */
export async function pullToFile(ctx: Context, path: string, remote: Record<string, string>, opts: {overwrite: boolean; interactive: boolean}): Promise<Record<string, string>> {
  const file = resolve(ctx.cwd, path)
  let merged = {...remote}
  if (existsSync(file)) {
    if (!opts.overwrite && !opts.interactive) {
      throw new DeisError(`${path} already exists`, {hint: 'pass -o/--overwrite to merge the app values into it, or -i/--interactive to choose key by key'})
    }
    const {parse} = await import('dotenv')
    const local = parse(readFileSync(file, 'utf8'))
    merged = {...local, ...remote}
    if (opts.interactive) {
      for (const key of Object.keys(remote).sort()) {
        if (!(key in local) || local[key] === remote[key]) continue
        if (!(await ctx.prompt.ask(`${key}: overwrite ${local[key]} with ${remote[key]}?`, 'overwrite'))) merged[key] = local[key]!
      }
    }
  }
  const text = Object.keys(merged).sort().map(k => `${dotenvLine(k, merged[k]!)}\n`).join('')
  writeFileSync(file, text, {mode: 0o600})
  chmodSync(file, 0o600)
  return merged
}
