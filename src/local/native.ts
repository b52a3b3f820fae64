import {createRequire} from 'node:module'
import {basename, dirname, join} from 'node:path'
import {DeisError} from '../errors.js'
import {packageRoot} from './instance.js'

/**
 * How to rebuild better-sqlite3 for the deis package at `root`: in npm's global folder (`<prefix>/lib/node_modules`,
 * or `<prefix>/node_modules` on Windows), a project's node_modules, or a clone. (`npm rebuild -g deis` would
 * rebuild only deis itself, not the modules inside it.)
 */
export function rebuildCommand(root: string): string {
  const parent = dirname(root)
  if (basename(parent) !== 'node_modules') return `cd ${root} && npm rebuild better-sqlite3`
  const prefix = dirname(parent)
  if (basename(prefix) === 'lib' || process.platform === 'win32') return 'npm rebuild -g better-sqlite3'
  return `cd ${prefix} && npm rebuild better-sqlite3`
}

/** Why better-sqlite3 did not load, in a few words, from its error (never its stack). */
function reason(error: Error & {code?: string}): string {
  const message = String(error.message)
  if (/Could not locate the bindings file/.test(message) || error.code === 'MODULE_NOT_FOUND') return 'is missing (its build did not run, or failed)'
  const abi = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(message)
  if (abi) return `was built for another Node.js (module version ${abi[1]}; ${process.version} needs ${abi[2]})`
  return `does not load (${message.split('\n')[0]!.replace(/^Error: /, '')})`
}

/**
 * The local controller keeps its data with better-sqlite3, a native module built when the package was installed:
 * `npm install --ignore-scripts`, a failed build or a different Node.js since leaves one that does not load.
 * Checked here, in this Node, before the daemon is started with it, so the user gets what to run instead of
 * a stack in the controller's log.
 */
export function checkNativeModules(): void {
  const root = packageRoot()
  const load = createRequire(join(root, 'package.json'))
  try {
    const Database = load('better-sqlite3') as new (file: string) => {close(): void}
    new Database(':memory:').close()
  } catch (error) {
    throw new DeisError(`the local controller needs better-sqlite3, whose native module in ${root} ${reason(error as Error)}`, {
      hint: `run \`${rebuildCommand(root)}\``,
    })
  }
}
