// A small static file server for the static buildpack: serves the directory named by argv[2] on $HOST:$PORT,
// index.html for directories, never a file outside that directory.
import {createReadStream, statSync} from 'node:fs'
import {createServer} from 'node:http'
import {extname, join, normalize, resolve} from 'node:path'
import process from 'node:process'

const root = resolve(process.argv[2] || '.')
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

function find(urlPath) {
  let path
  try {
    path = join(root, normalize(decodeURIComponent(urlPath.split('?')[0])))
  } catch {
    return undefined
  }
  if (path !== root && !path.startsWith(root + '/')) return undefined
  const stat = statSync(path, {throwIfNoEntry: false})
  if (stat?.isDirectory()) return find(join(urlPath.split('?')[0], 'index.html'))
  return stat?.isFile() &&
    !path
      .slice(root.length)
      .split('/')
      .some(part => part.startsWith('.'))
    ? {path, size: stat.size}
    : undefined
}

const server = createServer((req, res) => {
  const file = req.method === 'GET' || req.method === 'HEAD' ? find(req.url || '/') : undefined
  if (!file) {
    res.writeHead(404, {'Content-Type': 'text/plain'})
    return res.end('not found\n')
  }
  res.writeHead(200, {'Content-Type': TYPES[extname(file.path)] || 'application/octet-stream', 'Content-Length': file.size})
  if (req.method === 'HEAD') return res.end()
  createReadStream(file.path).pipe(res)
})
server.listen(Number(process.env.PORT || 5000), process.env.HOST || '127.0.0.1')
process.on('SIGTERM', () => server.close(() => process.exit(0)))
