import type {Router} from '../http/routes.js'
import {checkDatabase} from '../model/db.js'

const ok = {status: 200, text: 'OK', type: 'text/html; charset=utf-8'}

export function healthRoutes(router: Router): void {
  router.add('/healthz', 'none', {GET: () => ok})
  router.add('/readiness', 'none', {
    GET: ({store}) => {
      checkDatabase(store)
      return ok
    },
  })
  router.add('/v2/', 'user', {GET: () => ({status: 200, body: {}})})
}
