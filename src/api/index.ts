import {apps} from './apps.js'
import {auth} from './auth.js'
import {builds} from './builds.js'
import {certs} from './certs.js'
import {domains} from './domains.js'
import {ps} from './ps.js'
import {services} from './services.js'
import {settings} from './settings.js'
import {tls} from './tls.js'
import {config} from './config.js'
import {releases} from './releases.js'
import {health} from './health.js'
import type {Client} from './client.js'
import {keys} from './keys.js'
import {logs} from './logs.js'
import {perms} from './perms.js'
import {users} from './users.js'

/** Every resource module bound to one client; add a resource here when its module lands. */
export function makeApi(c: Client) {
  return {
    apps: apps(c),
    auth: auth(c),
    builds: builds(c),
    certs: certs(c),
    domains: domains(c),
    ps: ps(c),
    services: services(c),
    settings: settings(c),
    tls: tls(c),
    config: config(c),
    releases: releases(c),
    health: health(c),
    keys: keys(c),
    logs: logs(c),
    perms: perms(c),
    users: users(c),
  }
}

export type Api = ReturnType<typeof makeApi>
