const SAFE = /^[\w@%+=:,./-]+$/

/** One word for a POSIX shell: unchanged when it has nothing the shell reads specially, else single-quoted. */
export function shellQuote(word: string): string {
  if (SAFE.test(word)) return word
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/** Heroku's rule for `run`: one argument is a shell line as typed; several are quoted one by one, so they reach the program unchanged. */
export function commandLine(args: string[]): string {
  return args.length === 1 ? args[0]! : args.map(shellQuote).join(' ')
}
