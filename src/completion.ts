/**
 * Shell completion scripts for bash, zsh and fish, generated from the commands oclif knows (the manifest), so
 * they never drift from the CLI. Commands and flags are written into the script; profile names are the
 * ~/.deis/*.json files; app names come from `deis autocomplete:apps`, which answers from a cache of at most
 * 60 s and asks the controller only when the cache is older (never on every Tab).
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

type FlagInfo = {name: string; char?: string | undefined; type: string; description?: string | undefined; aliases?: string[] | undefined; charAliases?: string[] | undefined}
export type CommandInfo = {id: string; aliases: string[]; hidden: boolean; description?: string | undefined; flags: Record<string, FlagInfo>}

type Entry = {word: string; description: string; flags: FlagInfo[]}

/** Every visible command word (ids and their aliases, each once, sorted) with its description and flags. */
function entries(commands: CommandInfo[]): Entry[] {
  const seen = new Map<string, Entry>()
  for (const c of commands) {
    if (c.hidden) continue
    const flags = Object.values(c.flags)
    const description = (c.description ?? '').split('\n')[0]!
    for (const word of [c.id, ...c.aliases]) if (!seen.has(word)) seen.set(word, {word, description, flags})
  }
  return [...seen.values()].sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

const longs = (f: FlagInfo) => [f.name, ...(f.aliases ?? [])].map(n => `--${n}`)
const shorts = (f: FlagInfo) => [f.char, ...(f.charAliases ?? [])].filter((c): c is string => Boolean(c)).map(c => `-${c}`)
const valueKind = (f: FlagInfo) => (f.name === 'app' ? 'app' : f.name === 'config' ? 'profile' : f.type === 'option' ? 'other' : 'none')

/** The words after which the next word is a flag's value, by what completes it. */
function valueFlags(list: Entry[], kind: string): string[] {
  const words = new Set<string>()
  for (const e of list) for (const f of e.flags) if (valueKind(f) === kind) for (const w of [...longs(f), ...shorts(f)]) words.add(w)
  return [...words].sort()
}

export function completionScript(shell: Shell, commands: CommandInfo[], bin = 'deis'): string {
  const list = entries(commands)
  if (shell === 'bash') return bashScript(list, bin)
  if (shell === 'zsh') return zshScript(list, bin)
  return fishScript(list, bin)
}

function caseArms(list: Entry[], indent: string): string {
  return list.map(e => `${indent}${e.word}) echo ${quote(e.flags.flatMap(f => [...longs(f), ...shorts(f)]).join(' '))} ;;`).join('\n')
}

const PROFILES = (indent: string) => [`${indent}local f`, `${indent}for f in "$HOME"/.deis/*.json; do [ -e "$f" ] && basename "$f" .json; done`].join('\n')

/** The functions bash and zsh share: a command's flags, the profile names, the app names (of a profile, if named). */
function shellHelpers(list: Entry[], bin: string): string {
  return `_${bin}_flags() {
  case "$1" in
${caseArms(list, '    ')}
  esac
}
_${bin}_profiles() {
${PROFILES('  ')}
}
_${bin}_apps() {
  if [ -n "$1" ]; then command ${bin} autocomplete:apps --config "$1" 2>/dev/null; else command ${bin} autocomplete:apps 2>/dev/null; fi
}`
}

function bashScript(list: Entry[], bin: string): string {
  return `# ${bin} completion for bash; set up with: eval "$(${bin} autocomplete:script bash)" in ~/.bashrc
_${bin}_commands=${quote(list.map(e => e.word).join(' '))}
${shellHelpers(list, bin)}
_${bin}() {
  local line="\${COMP_LINE:0:$COMP_POINT}" cur prev cmd profile="" i
  local -a words cands
  read -ra words <<< "$line"
  [[ "$line" == *" " ]] && words+=("")
  cur="\${words[\${#words[@]}-1]}"
  prev="\${words[\${#words[@]}-2]}"
  cmd="\${words[1]}"
  for ((i = 1; i < \${#words[@]} - 1; i++)); do
    case "\${words[i]}" in -c|--config) profile="\${words[i+1]}" ;; esac
  done
  if [ \${#words[@]} -le 2 ]; then
    cands=($_${bin}_commands)
  else
    case "$prev" in
      ${valueFlags(list, 'app').join('|')}) cands=($(_${bin}_apps "$profile")) ;;
      ${valueFlags(list, 'profile').join('|')}) cands=($(_${bin}_profiles)) ;;
      ${valueFlags(list, 'other').join('|')}) cands=() ;;
      *) [[ "$cur" == -* ]] && cands=($(_${bin}_flags "$cmd")) ;;
    esac
  fi
  COMPREPLY=($(compgen -W "\${cands[*]}" -- "$cur"))
  # bash splits words at ':' (COMP_WORDBREAKS), so it wants only what follows the last colon of the word
  if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
    local colon="\${cur%"\${cur##*:}"}"
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]="\${COMPREPLY[i]#"$colon"}"; done
  fi
}
complete -F _${bin} ${bin}
`
}

function zshScript(list: Entry[], bin: string): string {
  const described = list.map(e => quote(`${e.word.replaceAll(':', '\\:')}:${e.description}`)).join(' \\\n  ')
  return `#compdef ${bin}
# ${bin} completion for zsh; set up with: eval "$(${bin} autocomplete:script zsh)" in ~/.zshrc, after compinit
_${bin}_commands=(
  ${described}
)
${shellHelpers(list, bin)}
_${bin}() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} cmd=\${words[2]} profile="" i
  local -a cands
  for ((i = 2; i < CURRENT; i++)); do
    [[ \${words[i]} == (-c|--config) ]] && profile=\${words[i+1]}
  done
  if (( CURRENT == 2 )); then
    _describe -t commands '${bin} command' _${bin}_commands
    return
  fi
  case $prev in
    (${valueFlags(list, 'app').join('|')}) cands=(\${(f)"$(_${bin}_apps "$profile")"}) ;;
    (${valueFlags(list, 'profile').join('|')}) cands=(\${(f)"$(_${bin}_profiles)"}) ;;
    (${valueFlags(list, 'other').join('|')}) return 1 ;;
    (*) [[ $cur == -* ]] && cands=(\${=$(_${bin}_flags "$cmd")}) ;;
  esac
  compadd -- "\${cands[@]}"
}
if (( $+functions[compdef] )); then compdef _${bin} ${bin}; fi
`
}

function fishScript(list: Entry[], bin: string): string {
  const lines = [
    `# ${bin} completion for fish; set up with: ${bin} autocomplete:script fish > ~/.config/fish/completions/${bin}.fish`,
    `function __${bin}_profile`,
    '    set -l words (commandline -opc)',
    '    for i in (seq (count $words))',
    '        if contains -- $words[$i] -c --config',
    '            set -l next (math $i + 1)',
    '            echo $words[$next]',
    '        end',
    '    end',
    'end',
    `function __${bin}_apps`,
    `    set -l profile (__${bin}_profile)`,
    '    if test -n "$profile"',
    `        command ${bin} autocomplete:apps --config $profile 2>/dev/null | string replace -r '$' '\tapp'`,
    '    else',
    `        command ${bin} autocomplete:apps 2>/dev/null | string replace -r '$' '\tapp'`,
    '    end',
    'end',
    `function __${bin}_profiles`,
    '    for f in $HOME/.deis/*.json',
    `        printf '%s\tprofile\n' (basename $f .json)`,
    '    end',
    'end',
    `complete -c ${bin} -f`,
  ]
  for (const e of list) {
    lines.push(`complete -c ${bin} -n __fish_use_subcommand -a ${quote(e.word)} -d ${quote(e.description)}`)
    for (const f of e.flags) {
      const names = [...[f.name, ...(f.aliases ?? [])].map(n => `-l ${n}`), ...shorts(f).map(s => `-s ${s.slice(1)}`)].join(' ')
      const kind = valueKind(f)
      const value = kind === 'app' ? ` -x -a '(__${bin}_apps)'` : kind === 'profile' ? ` -x -a '(__${bin}_profiles)'` : kind === 'other' ? ' -x' : ''
      const description = (f.description ?? '').split('\n')[0]!
      lines.push(`complete -c ${bin} -n ${quote(`__fish_seen_subcommand_from ${e.word}`)} ${names}${value} -d ${quote(description)}`)
    }
  }
  return `${lines.join('\n')}\n`
}

/** `deis autocomplete [shell]`: how to set completion up. */
export function setupText(shell: Shell, bin = 'deis'): string[] {
  const steps: Record<Shell, string[]> = {
    bash: ['Add this line to ~/.bashrc, then start a new shell:', '', `  eval "$(${bin} autocomplete:script bash)"`],
    zsh: ['Add this line to ~/.zshrc, after `compinit` runs, then start a new shell:', '', `  eval "$(${bin} autocomplete:script zsh)"`],
    fish: [
      'Write the script where fish looks for completions (it is used from the next shell on):',
      '',
      `  ${bin} autocomplete:script fish > ~/.config/fish/completions/${bin}.fish`,
    ],
  }
  return [
    `=== ${bin} completion for ${shell}`,
    ...steps[shell],
    '',
    'Then Tab completes commands, flags, profile names (-c) and app names (-a); app names are kept for 60 s.',
    ...(shell === 'fish' ? [`Write it again after upgrading ${bin}, so new commands complete too.`] : []),
  ]
}
