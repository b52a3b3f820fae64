import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {UsageError} from './errors.js'

function readPem(cwd: string, path: string, what: string): string {
  try {
    return readFileSync(resolve(cwd, path), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code)
    throw new UsageError(`cannot read the ${what} file ${path}: ${why}`)
  }
}

/** `certs:add` input: the PEM certificate and private key files, relative to the working directory. */
export function readPemPair(cwd: string, certPath: string, keyPath: string): {certificate: string; key: string} {
  return {certificate: readPem(cwd, certPath, 'certificate'), key: readPem(cwd, keyPath, 'private key')}
}
