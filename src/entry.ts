// What bin/run.js starts. `tsc` writes this file as the unbundled CLI; bin/bundle.js, the last step of
// `npm run build`, overwrites its output with one that starts the esbuild bundle. Whichever build step ran
// last is what runs, in a clone and in the packed package alike (npm sets every file's time at install).
export {main as run} from './main.js'
