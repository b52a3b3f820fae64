// What bin/run.cjs starts. `tsc` writes this file as dist/src/entry.cjs, the unbundled CLI; bin/bundle.js, the last step
// of `npm run build`, overwrites it with the loader of the esbuild bundle. Whichever build step ran last is what runs, in
// a clone and in the packed package alike (npm sets every file's time at install).
export async function run(argv: string[]): Promise<void> {
  const {main} = await import('./main.js')
  await main(argv)
}
