import {chmodSync, renameSync, unlinkSync, writeFileSync} from 'node:fs'

/**
 * Replaces `path` with `data` so that a reader sees the old content or the new, never half of it
 * (a temp file beside it, then a rename); the file gets `mode` even when the umask would narrow it.
 */
export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, data, {mode})
  chmodSync(tmp, mode)
  try {
    renameSync(tmp, path)
  } catch (error) {
    unlinkSync(tmp)
    throw error
  }
}
