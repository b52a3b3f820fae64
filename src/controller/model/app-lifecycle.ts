import type {App} from '../../api/types.js'
import {insertApp} from './apps.js'
import {emptyMaps, insertConfig} from './config.js'
import type {Store} from './db.js'
import {insertDomain} from './domains.js'
import {insertRelease} from './releases.js'
import {initialSettings} from './settings.js'
import {insertTls} from './tls.js'

/**
 * Creates an app with what the real controller creates with it, in one transaction: config #1 and
 * release v1 without a build, the domain named after the app, default settings and a TLS object.
 */
export function createApp(store: Store, id: string, owner: string): App {
  return store.tx(() => {
    const app = insertApp(store, id, owner)
    const config = insertConfig(store, id, owner, emptyMaps())
    insertRelease(store, id, {owner, summary: `${owner} created initial release`, config: config.uuid, build: null})
    insertDomain(store, id, owner, id)
    initialSettings(store, id, owner)
    insertTls(store, id, owner, null)
    return app
  })
}
