import {PROCESS_TYPE} from '../api/types.js'
import {UsageError} from '../errors.js'
import {checkKey, checkProcessType} from './names.js'

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Splits `KEY=VALUE` on the first `=`; undefined when there is none. */
function splitFirst(arg: string): [string, string] | undefined {
  const at = arg.indexOf('=')
  return at < 0 ? undefined : [arg.slice(0, at), arg.slice(at + 1)]
}

/** `arg` split on its first `=`, or the usage error `bad` when there is no `=` or `ok` refuses the pair. */
function pairOf(arg: string, ok: (key: string, value: string) => boolean, bad: () => UsageError): [string, string] {
  const kv = splitFirst(arg)
  if (!kv || !ok(kv[0], kv[1])) throw bad()
  return kv
}

/** The pairs of a `*:set` command as one object, later duplicates winning; the usage error `none` when there are none. */
function collectPairs(pairs: Array<[string, string]>, none: () => UsageError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of pairs) out[key] = value
  if (Object.keys(out).length === 0) throw none()
  return out
}

/**
 * `tags:set` / `labels:set` pairs: split on the first `=` so values may contain `=`; both sides must be
 * non-empty and the key a Kubernetes-style key (no spaces).
 */
function nonEmptyPairs(args: string[], examples: string, what: 'label' | 'tag'): Record<string, string> {
  const pairs = args.map(arg => {
    const kv = pairOf(
      arg,
      (k, v) => k !== '' && v !== '',
      () => new UsageError(`${arg} is invalid, Must be in format key=value`, examples),
    )
    checkKey(kv[0], what)
    return kv
  })
  return collectPairs(pairs, () => new UsageError('expected at least one KEY=VALUE', examples))
}

/**
 * `config:set` / `config:push` pairs: the key is letters, digits and `_` (not starting with a digit),
 * the value is the rest after the first `=`, verbatim. Arguments starting with `#` are comments;
 * later duplicates win.
 */
export function parseKeyValues(args: string[]): Record<string, string> {
  const pairs = args
    .filter(arg => !arg.startsWith('#'))
    .map(arg =>
      pairOf(
        arg,
        key => CONFIG_KEY.test(key),
        () => new UsageError(`'${arg}' does not match the pattern 'key=var'`, 'keys are letters, digits and _, not starting with a digit; ex: MODE=test'),
      ),
    )
  return collectPairs(pairs, () => new UsageError('expected at least one KEY=VALUE', 'ex: MODE=test'))
}

/** One `ps:scale` target: `web=3` sets, `web+1` / `web-1` adds to or takes from the current count. */
export type CountChange = {type: string; op: '=' | '+' | '-'; n: number}

const COUNT = /^([a-z0-9]+(?:-[a-z0-9]+)*)(=|\+|-)(\d+)$/

/** Parses `TYPE=N`, `TYPE+N` and `TYPE-N` arguments, in order. */
export function parseCountChanges(args: string[]): CountChange[] {
  if (args.length === 0) throw new UsageError('expected at least one TYPE=COUNT', 'ex: deis ps:scale web=2 worker+1')
  return args.map(arg => {
    const m = COUNT.exec(arg)
    if (!m)
      throw new UsageError(
        `'${arg}' does not match the pattern 'type=num', 'type+num' or 'type-num'`,
        'types are lowercase a-z, 0-9 and hyphens, counts whole numbers; ex: web=2',
      )
    return {type: m[1]!, op: m[2] as CountChange['op'], n: Number(m[3])}
  })
}

/** True when any argument is relative (`web+1`), so the caller must fetch the current counts first. */
export function hasRelativeCounts(args: string[]): boolean {
  return parseCountChanges(args).some(c => c.op !== '=')
}

/**
 * The counts to send to `scale`: absolute targets as given, relative ones applied to `current`
 * (a type missing from it counts as 0). Going below zero is a usage error.
 */
export function parseCounts(args: string[], current: Record<string, number> = {}): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of parseCountChanges(args)) {
    const base = out[c.type] ?? current[c.type] ?? 0
    const n = c.op === '=' ? c.n : c.op === '+' ? base + c.n : base - c.n
    if (n < 0) throw new UsageError(`cannot scale ${c.type} below zero: it has ${base}, asked for ${c.type}-${c.n}`, 'see the current counts with `deis ps:list`')
    out[c.type] = n
  }
  return out
}

const LIMIT_PART = /^(\d+[bkmgBKMG]{1,2}|[\d.]{1,5}m?)$/

/** `limits:set` pairs `<type>=<limit>` or `<type>=<request>/<limit>` (`web=512M`, `worker=250m/1`). */
export function parseLimits(args: string[]): Record<string, string> {
  const examples = 'Examples: web=2G worker=500M db=1G/2G'
  const ok = (type: string, value: string) => {
    const parts = value.split('/')
    return PROCESS_TYPE.test(type) && parts.length <= 2 && parts.every(p => LIMIT_PART.test(p) && /\d/.test(p))
  }
  const pairs = args.map(arg => pairOf(arg, ok, () => new UsageError(`${arg} doesn't fit format type=#unit or type=# or type=#/#`, examples)))
  return collectPairs(pairs, () => new UsageError('expected at least one TYPE=LIMIT', examples))
}

/** Hephy's `timeouts:set` pairs `<type>=<seconds>` (`web=30`): the termination grace period per process type. */
export function parseTimeouts(args: string[]): Record<string, string> {
  const examples = 'Examples: web=30 worker=300'
  const ok = (type: string, value: string) => PROCESS_TYPE.test(type) && /^\d+$/.test(value)
  const pairs = args.map(arg => pairOf(arg, ok, () => new UsageError(`${arg} doesn't fit format type=#`, examples)))
  return collectPairs(pairs, () => new UsageError('expected at least one TYPE=SECONDS', examples))
}

/** `tags:set` pairs, split on the first `=` so values may contain `=`; both sides must be non-empty. */
export function parseTags(args: string[]): Record<string, string> {
  return nonEmptyPairs(args, 'Examples: rack=1 environment=production', 'tag')
}

/** `registry:set` pairs: keys `username` or `password`, values split on the first `=`. */
export function parseRegistry(args: string[]): Record<string, string> {
  const examples = 'Examples: username=bob password=s3cur3pw1'
  const pairs = args.map(arg => {
    const [key, value] = pairOf(
      arg,
      (k, v) => k !== '' && v !== '',
      () => new UsageError(`${arg} is invalid. Must be in format key=value`, examples),
    )
    checkRegistryKey(key)
    return [key, value] as [string, string]
  })
  return collectPairs(pairs, () => new UsageError('expected at least one KEY=VALUE', examples))
}

function checkRegistryKey(key: string): void {
  if (key !== 'username' && key !== 'password') throw new UsageError(`${key} is invalid. Valid keys are "username" or "password"`, 'ex: username=bob password=s3cur3pw1')
}

/** `registry:unset` keys: only `username` and `password` exist. */
export function registryKeys(keys: string[]): string[] {
  for (const key of keys) checkRegistryKey(key)
  return keys
}

/** Bare keys for the `*:unset` commands, each mapped to `null` (the controller's "remove"); `example` is the fix when none are given. */
export function nullValues(keys: string[], example = 'name what to remove after the command'): Record<string, null> {
  if (keys.length === 0) throw new UsageError('expected at least one key to unset', example)
  return Object.fromEntries(keys.map(k => [k, null]))
}

/** A release version given as `v3` or `3`. */
export function parseVersion(raw: string): number {
  const m = /^v?(\d+)$/.exec(raw)
  if (!m) throw new UsageError(`${raw} is not in the form 'v#'`, 'ex: v3 or 3')
  return Number(m[1])
}

/**
 * A `--procfile` value: YAML-ish `type: command` lines (`"web: ./server\nworker: ./worker"`) or
 * the flow form `{web: ./server, worker: ./worker}`. Blank lines and `#` comments are skipped.
 */
export function parseProcfileFlag(raw: string): Record<string, string> {
  const text = raw.trim()
  const lines = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1).split(',') : text.split(/\r?\n/)
  const out: Record<string, string> = {}
  for (const line of lines) {
    const item = line.trim()
    if (item === '' || item.startsWith('#')) continue
    const at = item.indexOf(':')
    const type = at < 0 ? '' : item.slice(0, at).trim()
    const command =
      at < 0
        ? ''
        : item
            .slice(at + 1)
            .trim()
            .replace(/^(["'])(.*)\1$/, '$2')
    if (!PROCESS_TYPE.test(type) || command === '') throw new UsageError(`invalid procfile entry "${item}"`, 'expected <type>: <command>, ex: --procfile "web: ./server"')
    out[type] = command
  }
  if (Object.keys(out).length === 0) throw new UsageError('the procfile is empty', 'ex: --procfile "web: ./server"')
  return out
}

/** `labels:set` pairs, split on the first `=` so values may contain `=` (the Go client refused them). */
export function parseLabels(args: string[]): Record<string, string> {
  return nonEmptyPairs(args, 'Examples: git_repo=https://github.com/deis/workflow team=frontend', 'label')
}

/** `autoscale:set` bounds, checked before the request: 1 <= min <= max, and a CPU target of 1-100 %. */
export function autoscaleRule(type: string, min: number, max: number, cpuPercent: number): {min: number; max: number; cpu_percent: number} {
  checkProcessType(type)
  if (min < 1) throw new UsageError(`--min ${min} is below 1`, 'give --min 1 or more; `deis ps:scale ' + type + '=0` stops a type')
  if (max < min) throw new UsageError(`--max ${max} is below --min ${min}`, `give --max ${min} or more`)
  if (cpuPercent < 1 || cpuPercent > 100) throw new UsageError(`--cpu-percent ${cpuPercent} is not a percentage of one CPU`, 'give 1 to 100, e.g. --cpu-percent 70')
  return {min, max, cpu_percent: cpuPercent}
}
