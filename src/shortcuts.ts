/** A shortcut command and the command it runs, as `deis shortcuts` lists them. */
export type Shortcut = {alias: string; target: string}

type CommandInfo = {id: string; aliases?: string[] | undefined; hidden?: boolean | undefined}

/**
 * The shortcuts, read from the commands' oclif aliases so the list never drifts. A topic's own
 * `<topic>:<verb>` alias of its bare-topic command (`apps:list` for `apps`) is its full name, not a
 * shortcut; shortcuts point at that full name (`sharing -> perms:list`). Sorted by alias.
 */
export function shortcuts(commands: CommandInfo[]): Shortcut[] {
  const list: Shortcut[] = []
  for (const c of commands) {
    // oclif lists each alias again as a command of its own, with the same alias list
    if (c.hidden || c.aliases?.includes(c.id)) continue
    const own = (c.aliases ?? []).filter(a => !c.id.includes(':') && a.startsWith(`${c.id}:`))
    const target = own[0] ?? c.id
    for (const alias of c.aliases ?? []) if (!own.includes(alias)) list.push({alias, target})
  }
  return list.sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0))
}
