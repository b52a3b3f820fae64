import {createHash, randomInt} from 'node:crypto'

// Kubernetes' safe alphabet for generated name suffixes: no vowels, no digits that read as letters
const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789'

/**
 * A Kubernetes Deployment-style pod name, `<app>-<type>-<10 digits>-<5 chars>`: the digits are stable
 * per app, type and release, the suffix random. `taken` lets the caller refuse a name already in use.
 */
export function podName(app: string, type: string, version: number, taken: (name: string) => boolean = () => false): string {
  const digits = String(createHash('sha1').update(`${app}/${type}/v${version}`).digest().readUInt32BE(0)).padStart(10, '1')
  for (;;) {
    const name = `${app}-${type}-${digits}-${suffix()}`
    if (!taken(name)) return name
  }
}

/** The name of a one-off `run` pod, `<app>-run-<5 chars>`. */
export function runPodName(app: string): string {
  return `${app}-run-${suffix()}`
}

function suffix(): string {
  let out = ''
  for (let i = 0; i < 5; i++) out += SUFFIX_CHARS[randomInt(SUFFIX_CHARS.length)]
  return out
}

/** A pod name as users type it: `web-3374257146-8x2kq` (exactly two hyphens) means `<app>-web-3374257146-8x2kq`. */
export function fullPodName(app: string, name: string): string {
  return name.split('-').length === 3 ? `${app}-${name}` : name
}
