/**
 * Keeps tokens in the OS keychain through keytar when one answers; every call is bounded so a missing
 * or locked Secret Service never hangs a command. `DEIS_KEYCHAIN=off` skips the keychain entirely.
 * keytar is an optional dependency (its native build needs libsecret), so nothing here names it to the
 * type checker or the bundler: the interface below is the part of it we use, and it is loaded by a
 * specifier held in a variable only when a token is stored or read.
 */
const SERVICE = 'deis'
const KEYTAR: string = 'keytar'

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export function keychainAccount(controller: string, username: string): string {
  return `${username}@${controller}`
}

function timeoutMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.DEIS_KEYCHAIN_TIMEOUT)
  return Number.isFinite(n) && n > 0 ? n * 1000 : 3000
}

let loaded: Promise<Keytar | undefined> | undefined

/** keytar, or undefined when it is not installed or its native module does not load. */
function loadKeytar(): Promise<Keytar | undefined> {
  loaded ??= import(KEYTAR).then(
    (mod: {default?: Keytar} & Keytar) => mod.default ?? mod,
    () => undefined,
  )
  return loaded
}

/** True when keytar itself is missing (not when a keychain is merely off or silent). */
export async function keytarMissing(env: NodeJS.ProcessEnv): Promise<boolean> {
  return !/^(off|0|false|no)$/i.test(env.DEIS_KEYCHAIN ?? '') && (await loadKeytar()) === undefined
}

async function bounded<T>(env: NodeJS.ProcessEnv, work: (k: Keytar) => Promise<T>): Promise<T | undefined> {
  if (/^(off|0|false|no)$/i.test(env.DEIS_KEYCHAIN ?? '')) return undefined
  let timer: NodeJS.Timeout | undefined
  try {
    const keytar = await loadKeytar()
    if (!keytar) return undefined
    const limit = new Promise<undefined>(res => {
      timer = setTimeout(() => res(undefined), timeoutMs(env))
      timer.unref()
    })
    return await Promise.race([work(keytar), limit])
  } catch {
    return undefined
  } finally {
    if (timer) clearTimeout(timer)
  }
}

/** Stores a token; true only when the keychain confirmed it holds it. */
export async function storeToken(env: NodeJS.ProcessEnv, account: string, token: string): Promise<boolean> {
  const ok = await bounded(env, async k => {
    await k.setPassword(SERVICE, account, token)
    return (await k.getPassword(SERVICE, account)) === token
  })
  return ok === true
}

/** Reads a token from the keychain, or undefined when it has none or does not answer. */
export async function readToken(env: NodeJS.ProcessEnv, account: string): Promise<string | undefined> {
  return (await bounded(env, k => k.getPassword(SERVICE, account))) ?? undefined
}

/** Forgets a token; silent when the keychain does not answer. */
export async function forgetToken(env: NodeJS.ProcessEnv, account: string): Promise<void> {
  await bounded(env, k => k.deletePassword(SERVICE, account))
}
