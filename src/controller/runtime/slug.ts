import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PROCESS_TYPE} from '../../api/types.js'
import {parseReleaseYaml} from './buildpacks/release-yaml.js'
import {BUILTIN_DIR, BUILTIN_ORDER, fetchBuildpack, requestedBuildpacks, stageBuildpack, type Requested} from './buildpacks/select.js'
import {runStep, type StepResult} from './buildpacks/step.js'

const COMPILE_TIMEOUT_MS = 15 * 60_000
const SCRIPT_TIMEOUT_MS = 60_000

/** Parses the text of an app's Procfile file (`type: command` per line; blank lines and `#` comments skipped). */
export function parseProcfileFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const m = /^([^:\s]+)\s*:\s*(.+)$/.exec(line)
    if (!m || !PROCESS_TYPE.test(m[1]!)) throw new Error(`Procfile line "${line}" is not "<type>: <command>" with a lowercase type`)
    out[m[1]!] = m[2]!
  }
  return out
}

/** The release phase's command of a built slug: its Procfile's `release:` line, if any. */
export function releaseCommand(slugDir: string): string | undefined {
  const file = join(slugDir, 'Procfile')
  return existsSync(file) ? parseProcfileFile(readFileSync(file, 'utf8')).release : undefined
}

/** Extracts `sha` of the bare repo `repo` into `dir` (git archive | tar), with the push's quarantine env. */
function checkout(repo: string, sha: string, dir: string, gitEnv: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = {...(process.env as Record<string, string>), ...gitEnv}
    const archive = spawn('git', ['--git-dir', repo, 'archive', '--format=tar', sha], {env, stdio: ['ignore', 'pipe', 'pipe']})
    const tar = spawn('tar', ['-x', '-C', dir], {stdio: ['pipe', 'ignore', 'pipe']})
    archive.stdout.pipe(tar.stdin)
    let errors = ''
    archive.stderr.setEncoding('utf8').on('data', d => (errors += d))
    tar.stderr.setEncoding('utf8').on('data', d => (errors += d))
    archive.on('error', reject)
    tar.on('error', reject)
    tar.on('close', code => (code === 0 ? resolve() : reject(new Error(`could not check out ${sha}: ${errors.trim()}`))))
  })
}

export type SlugOptions = {
  repo: string
  sha: string
  /** The build directory, which becomes the slug: processes run here. */
  dir: string
  gitEnv: Record<string, string>
  say: (line: string) => void
  /** The app's config values: ENV_DIR holds one file per value; BUILDPACK_URL picks the buildpack. */
  config: Record<string, string>
  /** Whether an admin set the config's BUILDPACK_URL (local paths are then allowed). */
  configByAdmin: boolean
  /** The app's build cache, kept between builds (CACHE_DIR). */
  cacheDir: string
  /** Cached clones of git buildpacks. */
  buildpackCacheDir: string
  /** Directories local buildpacks may come from without an admin. */
  buildpackDirs: string[]
  /** Environment the buildpacks start from (PATH, HOME...); defaults to the controller's own. */
  baseEnv?: Record<string, string>
}

/** What a build produced: the process types (without `release`) and the buildpacks that ran. */
export type Slug = {procfile: Record<string, string>; buildpacks: string[]}

type Staged = {dir: string; name: string; label: string}

function detectName(result: StepResult): string {
  return result.stdout.trim().split('\n')[0]?.trim() || 'Custom'
}

/** Single-quotes `value` for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`
}

/**
 * Turns a pushed commit into a runnable slug with Heroku's buildpack API: checks it out into `dir`, picks the
 * buildpacks (BUILDPACK_URL, `.buildpacks`, else the first built-in whose bin/detect accepts the app), runs each
 * one's bin/compile BUILD_DIR CACHE_DIR ENV_DIR (later ones see earlier ones' `export` files) and bin/release,
 * and reads the process types from the Procfile, else from the buildpacks' default_process_types. Output goes to
 * `say` as it comes; a failure throws after the buildpack's own last lines were shown.
 */
export async function buildSlug(opts: SlugOptions): Promise<Slug> {
  const {dir, say} = opts
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  await checkout(opts.repo, opts.sha, dir, opts.gitEnv)
  const work = mkdtempSync(join(tmpdir(), 'deis-build-'))
  try {
    const envDir = join(work, 'env')
    mkdirSync(envDir)
    for (const [key, value] of Object.entries(opts.config)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) writeFileSync(join(envDir, key), value)
    mkdirSync(opts.cacheDir, {recursive: true})
    const env: Record<string, string> = {
      ...(opts.baseEnv ?? (process.env as Record<string, string>)),
      STACK: 'deis-local',
      SOURCE_VERSION: opts.sha,
      BUILD_DIR: dir,
      CACHE_DIR: opts.cacheDir,
      ENV_DIR: envDir,
    }
    const script = (bp: Staged, name: string) => join(bp.dir, 'bin', name)
    const packs = await choose(opts, work, env)
    const exports: string[] = []
    const types: Record<string, string> = {}
    for (const bp of packs) {
      if (!existsSync(script(bp, 'compile'))) throw new Error(`buildpack ${bp.label} has no bin/compile`)
      // a later buildpack starts in the environment the earlier ones exported, as multi-buildpack builds do
      const argv = [
        '/bin/bash',
        '-c',
        'n=$1; shift; while [ "$n" -gt 0 ]; do . "$1"; shift; n=$((n - 1)); done; exec "$@"',
        'compile',
        String(exports.length),
        ...exports,
        script(bp, 'compile'),
        dir,
        opts.cacheDir,
        envDir,
      ]
      const compiled = await runStep({argv, cwd: dir, env, onLine: say, timeoutMs: COMPILE_TIMEOUT_MS})
      if (compiled.code !== 0) throw new Error(`bin/compile of the ${bp.name} buildpack (${bp.label}) exited with status ${compiled.code}`)
      if (existsSync(join(bp.dir, 'export'))) exports.push(join(bp.dir, 'export'))
      if (!existsSync(script(bp, 'release'))) continue
      const released = await runStep({argv: [script(bp, 'release'), dir], cwd: dir, env, timeoutMs: SCRIPT_TIMEOUT_MS})
      if (released.code !== 0) throw new Error(`bin/release of the ${bp.name} buildpack exited with status ${released.code}: ${released.lastLines.at(-1) ?? ''}`)
      const info = parseReleaseYaml(released.stdout)
      Object.assign(types, info.default_process_types)
      if (Object.keys(info.config_vars).length > 0) {
        // config_vars are defaults: the app's own config wins, so they are set only where it has no value
        mkdirSync(join(dir, '.profile.d'), {recursive: true})
        const lines = Object.entries(info.config_vars).map(([k, v]) => `[ -n "\${${k}+set}" ] || export ${k}=${shellQuote(v)}`)
        writeFileSync(join(dir, '.profile.d', `000-${bp.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-config-vars.sh`), `${lines.join('\n')}\n`)
      }
    }
    say('-----> Discovering process types')
    let procfile: Record<string, string>
    if (existsSync(join(dir, 'Procfile'))) {
      procfile = parseProcfileFile(readFileSync(join(dir, 'Procfile'), 'utf8'))
      say(`       Procfile declares types -> ${Object.keys(procfile).join(', ') || '(none)'}`)
    } else {
      procfile = types
      say(`       Default types for buildpack -> ${Object.keys(procfile).join(', ') || '(none)'}`)
    }
    const {release, ...processes} = procfile
    if (release) say('       The release phase runs "release" before the new processes start')
    if (Object.keys(processes).length === 0) throw new Error('no Procfile and nothing to start: add a Procfile with a "web: <command>" line')
    return {procfile: processes, buildpacks: packs.map(p => p.label)}
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
}

/** The buildpacks to run, staged into `work`, with a line saying which and why. */
async function choose(opts: SlugOptions, work: string, env: Record<string, string>): Promise<Staged[]> {
  const {dir, say} = opts
  const detect = (bpDir: string) => runStep({argv: [join(bpDir, 'bin', 'detect'), dir], cwd: dir, env, timeoutMs: SCRIPT_TIMEOUT_MS})
  const requested: Requested[] = requestedBuildpacks(dir, opts.config.BUILDPACK_URL, opts.configByAdmin)
  if (requested.length === 0) {
    // every bin/detect at once (each is a shell start-up); the first in the fixed order that accepts wins
    const verdicts = await Promise.all(BUILTIN_ORDER.map(name => detect(join(BUILTIN_DIR, name))))
    for (const [i, name] of BUILTIN_ORDER.entries()) {
      const source = join(BUILTIN_DIR, name)
      const found = verdicts[i]!
      if (found.code !== 0) continue
      const staged = {dir: stageBuildpack(source, join(work, 'buildpacks', '0')), name: detectName(found), label: name}
      say(`-----> ${staged.name} app detected`)
      say(`       Using the built-in ${name} buildpack: no BUILDPACK_URL or .buildpacks, and it is the first of ${BUILTIN_ORDER.join(', ')} to accept the app`)
      return [staged]
    }
    if (existsSync(join(dir, 'Dockerfile'))) {
      throw new Error(
        'Dockerfile builds need a container engine, which the local controller does not run: add a Procfile (or set BUILDPACK_URL to a buildpack) and push again to build here with a buildpack',
      )
    }
    throw new Error(`no buildpack detected this app (tried ${BUILTIN_ORDER.join(', ')}): add a Procfile with a "web: <command>" line, or set BUILDPACK_URL`)
  }
  const staged: Staged[] = []
  for (const [i, req] of requested.entries()) {
    say(`-----> Using buildpack ${req.url}: ${req.why}`)
    const source = await fetchBuildpack(req, {cacheDir: opts.buildpackCacheDir, allowedDirs: opts.buildpackDirs, say})
    const bpDir = stageBuildpack(source, join(work, 'buildpacks', String(i)))
    let name = 'Custom'
    if (existsSync(join(bpDir, 'bin', 'detect'))) {
      const found = await detect(bpDir)
      if (found.code !== 0) throw new Error(`buildpack ${req.url}: its bin/detect does not accept this app (exit status ${found.code})`)
      name = detectName(found)
    }
    say(`-----> ${name} app detected`)
    staged.push({dir: bpDir, name, label: req.url})
  }
  return staged
}
