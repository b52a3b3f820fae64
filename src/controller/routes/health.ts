import type {Router} from '../router.js'

const ok = {status: 200, text: 'OK', type: 'text/html; charset=utf-8'}

export function healthRoutes(router: Router): void {
  router.add('/healthz', 'none', {GET: () => ok})
  router.add('/readiness', 'none', {
    GET: ({store}) => {
      store.db.prepare('SELECT 0').get()
      return ok
    },
  })
  router.add('/v2/', 'user', {GET: () => ({status: 200, body: {}})})
}
