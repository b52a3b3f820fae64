import {eachLine, spawnApp} from '../process.js'
import type {Deployment} from '../scheduler.js'

/**
 * Runs a release's `release:` command (the release phase: migrations and the like) once in its slug with its
 * config, as a process of the app would run, sending each output line to `onLine`; resolves with why it
 * failed, or undefined when it exited 0.
 */
export function runReleasePhase(
  dep: Deployment,
  command: string,
  onLine: (line: string) => void,
  baseEnv = process.env as Record<string, string>,
): Promise<string | undefined> {
  return new Promise(resolve => {
    const env: Record<string, string> = {
      ...baseEnv,
      ...dep.env,
      HOST: '127.0.0.1',
      HOSTNAME: `${dep.app}-release-v${dep.version}`,
      DEIS_APP: dep.app,
      WORKFLOW_RELEASE: `v${dep.version}`,
    }
    delete env.PORT
    const child = spawnApp(command, {cwd: dep.dir, env})
    eachLine(child.stdout!, onLine)
    eachLine(child.stderr!, onLine)
    child.on('error', error => resolve(`the release phase ("${command}") could not start: ${error.message}`))
    child.on('close', (code, signal) => resolve(code === 0 ? undefined : `the release phase ("${command}") exited with ${signal ? `signal ${signal}` : `status ${code}`}`))
  })
}
