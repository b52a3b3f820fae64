/**
 * Before a process's own command: the slug's `.profile.d/*.sh` (what buildpacks leave, such as the Python
 * virtualenv on PATH) and `.profile`, sourced in the slug directory as Heroku does, with HOST defaulting to the
 * loopback address the router reaches apps on.
 */
const PRELUDE = [
  ': "${HOST:=127.0.0.1}"; export HOST',
  'for f in .profile.d/*.sh; do [ -r "$f" ] && . "./$f"; done',
  'unset f',
  '[ -r .profile ] && . ./.profile',
  'exec bash -c "$1"',
].join('\n')

/** The argv that runs `command` as a process of a slug (started in the slug's directory), its profile applied. */
export function processCommand(command: string): string[] {
  return ['/bin/bash', '-c', PRELUDE, 'process', command]
}
