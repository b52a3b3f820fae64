import {chmodSync, lstatSync, readdirSync, type Stats} from 'node:fs'
import {join} from 'node:path'

/** Files of the controller's own state: tokens, password hashes, the builder's private key, pids, the log. */
const STATE_FILES = ['controller.db', 'controller.db-wal', 'controller.db-shm', 'builder_host_key', 'controller.pid', 'controller.log', 'runtime.json']
/** Folders of state ('run', pid files) and of app code ('repos', 'slugs'), which only the controller and that app's sandbox read. */
const STATE_DIRS = ['run']
const CODE_DIRS = ['repos', 'slugs']

function stat(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

/** Drops group and other bits, keeping the owner's (exec bits included); symlinks are left alone. */
function tighten(path: string, st: Stats): void {
  if (st.isSymbolicLink() || (st.mode & 0o077) === 0) return
  chmodSync(path, st.mode & 0o7700)
}

/**
 * Makes `dir` and everything under it readable by its owner only, keeping exec bits. The root goes
 * last, so a private root means a finished walk and later starts skip the tree.
 */
export function privateTree(dir: string): void {
  const root = stat(dir)
  if (!root) return
  if (root.isDirectory()) {
    const walk = (d: string) => {
      for (const entry of readdirSync(d, {withFileTypes: true})) {
        const path = join(d, entry.name)
        const st = stat(path)
        if (!st) continue
        if (st.isDirectory()) walk(path)
        tighten(path, st)
      }
    }
    walk(dir)
  }
  tighten(dir, root)
}

/**
 * Tightens a data dir at start: the dir and its state folders 0700, state files 0600, app code
 * (repositories, slugs) without group or other access. A data dir made by an older controller
 * (0755, a 0644 database) is fixed here; each app's code tree is walked once, until its root is private.
 */
export function secureDataDir(dataDir: string): void {
  const top = stat(dataDir)
  if (!top?.isDirectory()) return
  chmodSync(dataDir, 0o700)
  for (const name of STATE_FILES) {
    const st = stat(join(dataDir, name))
    if (st?.isFile()) chmodSync(join(dataDir, name), 0o600)
  }
  for (const name of STATE_DIRS) privateTree(join(dataDir, name))
  for (const name of CODE_DIRS) {
    const dir = join(dataDir, name)
    const st = stat(dir)
    if (!st?.isDirectory()) continue
    tighten(dir, st)
    for (const entry of readdirSync(dir)) {
      const app = join(dir, entry)
      const appSt = stat(app)
      if (!appSt) continue
      if (!appSt.isDirectory() || name === 'repos') {
        if ((appSt.mode & 0o077) !== 0) privateTree(app)
        continue
      }
      // slugs/<app>/<sha>: one tree per build
      for (const build of readdirSync(app)) {
        const slug = join(app, build)
        const slugSt = stat(slug)
        if (slugSt && (slugSt.mode & 0o077) !== 0) privateTree(slug)
      }
      tighten(app, appSt)
    }
  }
}
