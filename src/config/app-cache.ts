import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {deisDir} from './settings.js'

/** How long completion trusts its list of app names before asking the controller again. */
export const APP_CACHE_MS = 60_000

/** The cache file of a profile's app names: ~/.deis/cache/apps-<hash of the profile path>.txt. */
export function appCachePath(profilePath: string, env: NodeJS.ProcessEnv): string {
  return join(deisDir(env), 'cache', `apps-${createHash('sha256').update(profilePath).digest('hex').slice(0, 16)}.txt`)
}

/** The cached app names when the cache is younger than APP_CACHE_MS, else undefined. */
export function freshApps(path: string, now = Date.now()): string[] | undefined {
  const stat = statSync(path, {throwIfNoEntry: false})
  if (!stat || now - stat.mtimeMs >= APP_CACHE_MS || now < stat.mtimeMs - APP_CACHE_MS) return undefined
  return readFileSync(path, 'utf8').split('\n').filter(Boolean)
}

/** Replaces the cache (0600 in a 0700 directory): app names are not secret, but they are the user's business. */
export function writeAppCache(path: string, apps: string[]): void {
  mkdirSync(join(path, '..'), {recursive: true, mode: 0o700})
  writeFileSync(path, apps.map(a => `${a}\n`).join(''), {mode: 0o600})
}
