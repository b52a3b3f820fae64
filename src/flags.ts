import {Flags} from '@oclif/core'

/** `-a/--app`: the app to act on; without it the app comes from DEIS_APP or the git remote. */
export const app = Flags.custom<string>({
  char: 'a',
  description: 'the app to act on (default: $DEIS_APP, then the git remote pointing at this controller)',
  helpValue: '<app>',
})

/** `-l/--limit`: page size of a list; the profile's response_limit (100) when absent. */
export const limit = Flags.custom<number>({
  char: 'l',
  description: 'the maximum number of results to show',
  helpValue: '<num>',
  async parse(input) {
    const n = Number(input)
    if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive whole number for --limit, got "${input}"`)
    return n
  },
})

/** `--all`: follow every page of a list instead of stopping at the first. */
export const all = () => Flags.boolean({description: 'show every item, following all pages'})

/** `--confirm=<app>`: answers the destructive-action prompt. */
export const confirm = Flags.custom<string>({
  description: 'skip the prompt by naming the app being destroyed',
  helpValue: '<app>',
})

/** `-r/--remote`: the git remote name. */
export const remote = Flags.custom<string>({
  char: 'r',
  description: 'name of the git remote',
  default: 'deis',
  helpValue: '<name>',
})
