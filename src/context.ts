import {readFileSync} from 'node:fs'
import {makeApi, type Api} from './api/index.js'
import {Client} from './api/client.js'
import {loadProfile, profilePath, readProfile, responseLimit, writeProfile, type Profile} from './config/settings.js'
import {profileFromRemote, type ProfileChoice} from './config/remote-profile.js'
import {keychainAccount, keytarMissing, readToken, storeToken} from './config/token-store.js'
import {AuthError, UsageError} from './errors.js'
import {appFromRemote} from './git/remote.js'
import type {Output} from './output/output.js'
import {checkAppId} from './parse/names.js'
import {Prompt} from './prompt/prompt.js'

let version: string | undefined

/** This package's version, read once from package.json. */
export function cliVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version
  return version
}

/** DEIS_TIMEOUT in milliseconds (30 s when unset); anything but a positive number of seconds is a usage error. */
export function timeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.DEIS_TIMEOUT
  if (raw === undefined || raw.trim() === '') return 30_000
  const seconds = Number(raw)
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`DEIS_TIMEOUT=${raw} is not a number of seconds`, 'set it to a positive number such as DEIS_TIMEOUT=30, or unset it')
  }
  return seconds * 1000
}

/**
 * What a command needs, each piece built on first use (gh's Factory): the profile, the token,
 * the API client, the app to act on, prompts.
 */
export class Context {
  readonly env: NodeJS.ProcessEnv
  readonly out: Output
  readonly configFlag: string | undefined
  readonly cwd: string
  private clients: Client[] = []
  private cachedApi: Api | undefined
  private cachedPrompt: Prompt | undefined

  constructor(opts: {env: NodeJS.ProcessEnv; out: Output; configFlag: string | undefined; cwd?: string}) {
    this.env = opts.env
    this.out = opts.out
    this.configFlag = opts.configFlag
    this.cwd = opts.cwd ?? process.cwd()
  }

  private chosen: ProfileChoice | undefined

  get profilePath(): string {
    return this.chosen?.path ?? profilePath(this.configFlag, this.env, this.cwd)
  }

  /**
   * With no -c/--config and no DEIS_PROFILE, picks the profile whose builder the repository's `deis` remote
   * points at (issue 11 part 5); otherwise, or without a match, the profile stays as profilePath() says.
   */
  async chooseProfileFromRemote(): Promise<void> {
    if (this.configFlag !== undefined || this.env.DEIS_PROFILE !== undefined) return
    this.chosen = await profileFromRemote(this.cwd, this.env)
  }

  /** The profile in use and why it was chosen, as `whoami` tells it. */
  get profileChoice(): ProfileChoice {
    if (this.chosen) return this.chosen
    const reason =
      this.configFlag !== undefined
        ? `-c/--config ${this.configFlag}`
        : this.env.DEIS_PROFILE !== undefined
          ? `DEIS_PROFILE=${this.env.DEIS_PROFILE}`
          : 'the default (no -c/--config, no DEIS_PROFILE, no "deis" git remote at a profile\'s builder)'
    return {path: this.profilePath, reason}
  }

  /** The profile, which must exist (else AuthError: not logged in). */
  profile(): Profile {
    return loadProfile(this.profilePath)
  }

  maybeProfile(): Profile | undefined {
    return readProfile(this.profilePath)
  }

  get limit(): number {
    return responseLimit(this.maybeProfile())
  }

  /** DEIS_TOKEN, else the keychain when the profile says the token lives there, else the profile's token. */
  async token(profile: Profile = this.profile()): Promise<string> {
    if (this.env.DEIS_TOKEN) return this.env.DEIS_TOKEN
    return this.storedToken(profile)
  }

  /** The profile's own token (keychain or file); DEIS_TOKEN belongs to the current profile, not to one named by a flag. */
  private async storedToken(profile: Profile, path = this.profilePath): Promise<string> {
    if (profile.token_store === 'keychain') {
      const t = await readToken(this.env, keychainAccount(profile.controller, profile.username))
      if (t) return t
      throw new AuthError(`the keychain did not answer with the token for ${profile.username} at ${profile.controller}`)
    }
    if (!profile.token) throw new AuthError(`no token in ${path}`)
    return profile.token
  }

  /**
   * Saves a login: token to the keychain when one answers, else into the profile file (0600). Without keytar
   * installed, the first token written to this profile file says so once.
   */
  async saveLogin(p: Profile): Promise<{path: string; keychain: boolean}> {
    const path = this.profilePath
    const keychain = await storeToken(this.env, keychainAccount(p.controller, p.username), p.token)
    const profile: Profile = keychain ? {...p, token: '', token_store: 'keychain'} : {...p}
    if (!keychain) delete profile.token_store
    if (!keychain && (await keytarMissing(this.env)) && !this.fileTokenBefore()) {
      this.out.note(`Note: no OS keychain (the optional keytar module is not installed), so the token is kept in ${path} (mode 0600)`)
    }
    writeProfile(path, profile, this.env)
    return {path, keychain}
  }

  private fileTokenBefore(): boolean {
    try {
      return Boolean(this.maybeProfile()?.token)
    } catch {
      return false
    }
  }

  /** A client for any controller URL; `withToken` false sends no Authorization header. */
  client(controller: string, opts: {sslVerify?: boolean; caBundle?: string | undefined; token?: () => Promise<string | undefined>} = {}): Client {
    const c = new Client({
      controller,
      ...(opts.token ? {token: opts.token} : {}),
      sslVerify: opts.sslVerify ?? true,
      caBundle: opts.caBundle,
      timeoutMs: timeoutMs(this.env),
      userAgent: `deis-cli/${cliVersion()}`,
      env: this.env,
      warn: line => this.out.warn(line),
      debug: /^(1|true)$/.test(this.env.DEIS_DEBUG ?? '') ? line => this.out.warn(line) : undefined,
    })
    this.clients.push(c)
    return c
  }

  /** The API of the logged-in profile's controller. */
  get api(): Api {
    if (!this.cachedApi) {
      const p = this.profile()
      this.cachedApi = makeApi(this.client(p.controller, {sslVerify: p.ssl_verify !== false, caBundle: p.ca_bundle, token: () => this.token(p)}))
    }
    return this.cachedApi
  }

  /** Another profile, by name or path (apps:copy --to), and the API of its controller; it must be logged in. */
  other(name: string): {name: string; profile: Profile; api: Api} {
    const path = profilePath(name, this.env, this.cwd)
    const profile = readProfile(path)
    if (!profile) throw new UsageError(`no profile "${name}" (${path})`, `log in to that controller first: deis login <controller> -c ${name}`)
    const api = makeApi(this.client(profile.controller, {sslVerify: profile.ssl_verify !== false, token: () => this.storedToken(profile, path)}))
    return {name, profile, api}
  }

  apiFor(c: Client): Api {
    return makeApi(c)
  }

  get prompt(): Prompt {
    this.cachedPrompt ??= Prompt.forProcess()
    return this.cachedPrompt
  }

  /** The app to act on: --app, else DEIS_APP, else the git remote pointing at this controller's builder. */
  async appId(flag: string | undefined): Promise<string> {
    return (await this.app(flag)).id
  }

  /** appId, plus where the app came from (apps:destroy removes the git remote only when it named the app). */
  async app(flag: string | undefined): Promise<{id: string; from: 'flag' | 'env' | 'remote'}> {
    if (flag) return {id: checkAppId(flag, '--app'), from: 'flag'}
    if (this.env.DEIS_APP) return {id: checkAppId(this.env.DEIS_APP, 'DEIS_APP'), from: 'env'}
    const fromRemote = await appFromRemote(this.cwd, this.profile())
    if (fromRemote) return {id: fromRemote, from: 'remote'}
    throw new UsageError('no app given and none found in a git remote here', 'pass --app <app>, set DEIS_APP, or add the remote with `deis git:remote --app <app>`')
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map(c => c.close()))
  }
}
