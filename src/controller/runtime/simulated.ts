import type {App, Pod, RunResult} from '../../api/types.js'
import {findApp} from '../model/apps.js'
import type {Store} from '../model/db.js'
import {deletePodRecord, hasPodRecord, insertPodRecord, podRecords} from '../model/pods.js'
import {currentRelease} from '../model/releases.js'
import type {AppRuntime, PodFilter} from './contract.js'
import {fullPodName, podName} from './pod-names.js'

/**
 * The API-only controller's runtime: it runs nothing, and keeps pod records that follow each app's
 * structure as the real controller's pods would (always `up`), answering `run` as the controller's
 * mock scheduler does.
 */
export class SimulatedRuntime implements AppRuntime {
  readonly imageBuildRefusal = undefined
  // no app code runs here, so there is nothing to isolate
  readonly singleUserReason = undefined

  constructor(private readonly store: Store) {}

  /** Old-release records go, missing ones are added, extras removed; a deleted app's rows went with it. */
  async changed(app: string): Promise<void> {
    const found = findApp(this.store, app)
    if (found) this.store.tx(() => this.reconcile(found))
  }

  private reconcile(app: App): Pod[] {
    const version = currentRelease(this.store, app.id).version
    const release = `v${version}`
    const kept = new Map<string, number>()
    for (const pod of podRecords(this.store, app.id)) {
      const n = kept.get(pod.type) ?? 0
      if (pod.release !== release || n >= (app.structure[pod.type] ?? 0)) deletePodRecord(this.store, pod.name)
      else kept.set(pod.type, n + 1)
    }
    for (const [type, wanted] of Object.entries(app.structure)) {
      for (let i = kept.get(type) ?? 0; i < wanted; i++) this.add(app.id, type, version)
    }
    return podRecords(this.store, app.id)
  }

  private add(app: string, type: string, version: number): Pod {
    const name = podName(app, type, version, n => hasPodRecord(this.store, n))
    return insertPodRecord(this.store, app, {name, type, release: `v${version}`})
  }

  pods(app: string, filter: PodFilter = {}): Pod[] {
    const name = filter.name && fullPodName(app, filter.name)
    return podRecords(this.store, app).filter(p => (!filter.type || p.type === filter.type) && (!name || p.name === name))
  }

  /** Replaces the selected records with fresh ones (new names, new start time). */
  async restart(app: string, filter: PodFilter = {}): Promise<Pod[]> {
    return this.store.tx(() => {
      const fresh: Pod[] = []
      for (const pod of this.pods(app, filter)) {
        deletePodRecord(this.store, pod.name)
        fresh.push(this.add(app, pod.type, Number(pod.release.slice(1))))
      }
      return fresh
    })
  }

  /** The mock scheduler's answer (transcript #52): exit code 0 and the JSON-encoded pod log. */
  async run(): Promise<RunResult> {
    return {exit_code: 0, output: JSON.stringify('I did stuff today')}
  }

  addresses(): undefined {
    return undefined
  }

  async close(): Promise<void> {}
}
