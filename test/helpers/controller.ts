import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, expect} from 'vitest'
import {createApp} from '../../src/controller/model/app-lifecycle.js'
import {mintToken, userByToken} from '../../src/controller/model/tokens.js'
import {createUser} from '../../src/controller/model/users.js'
import type {ControllerOptions} from '../../src/controller/options.js'
import {createController, type Controller} from '../../src/controller/server.js'
import {runDeis} from './run.js'

export type TestController = Controller & {
  /** A temp HOME whose ~/.deis/client.json is logged in as the first user. */
  home: string
  /** A token minted for each seeded user (the store keeps only hashes). */
  tokens: Record<string, string>
  /** Writes ~/.deis/client.json in `home` for `user`, with a token that works. */
  loginAs: (user: string, extra?: Record<string, unknown>) => void
}

/**
 * Starts the real local controller on 127.0.0.1 port 0 with a fresh in-memory store, registers
 * `users` (the first is admin, as on the real controller), creates `apps` owned by the first user
 * (without logging their creation),
 * and logs the temp HOME in as the first user.
 */
export async function startTestController(opts: {users?: string[]; apps?: string[]; dataDir?: string; options?: Partial<ControllerOptions>} = {}): Promise<TestController> {
  const ctl = await createController({port: 0, dataDir: opts.dataDir, ...opts.options})
  const home = mkdtempSync(join(tmpdir(), 'deis-home-'))
  const tokens: Record<string, string> = {}
  for (const [i, name] of (opts.users ?? []).entries()) {
    await createUser(ctl.store, {username: name, password: `${name}pw`, email: `${name}@example.com`, is_superuser: i === 0})
    tokens[name] = mintToken(ctl.store, name)
  }
  const owner = opts.users?.[0]
  // seeded apps start with empty logs: their creation events would only be noise in the tests' expectations
  for (const app of opts.apps ?? []) if (owner) ctl.logs.withoutEvents(() => createApp(ctl.store, app, owner))
  const loginAs = (user: string, extra: Record<string, unknown> = {}) => {
    mkdirSync(join(home, '.deis'), {recursive: true, mode: 0o700})
    // a test may have revoked the user's tokens (auth:regenerate): then the profile gets a fresh one
    const held = tokens[user]
    const token = held && userByToken(ctl.store, held)?.username === user ? held : (tokens[user] = mintToken(ctl.store, user))
    const profile = {username: user, ssl_verify: true, controller: ctl.url, token, response_limit: 0, ...extra}
    writeFileSync(join(home, '.deis', 'client.json'), JSON.stringify(profile), {mode: 0o600})
  }
  if (owner) loginAs(owner)
  const close = ctl.close
  return {
    ...ctl,
    home,
    tokens,
    loginAs,
    async close() {
      await close()
      rmSync(home, {recursive: true, force: true})
    },
  }
}

/**
 * One test controller for the enclosing describe block: started (then `seed`ed) in `beforeAll`, closed in
 * `afterAll`. The returned object is filled in when `beforeAll` runs, so use it only inside hooks and tests.
 */
export function useTestController(opts: Parameters<typeof startTestController>[0], seed?: (ctl: TestController) => Promise<void>): TestController {
  const ctl = {} as TestController
  beforeAll(async () => {
    Object.assign(ctl, await startTestController(opts))
    await seed?.(ctl)
  })
  afterAll(() => ctl.close())
  return ctl
}

/** A seed for `useTestController`: creates `example-app` through `deis apps:create` as the logged-in user. */
export async function createExampleApp(ctl: TestController): Promise<void> {
  expect((await runDeis(ctl, ['apps:create', 'example-app', '--no-remote'])).exitCode).toBe(0)
}
