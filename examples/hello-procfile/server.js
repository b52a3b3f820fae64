// No package.json, no lockfile: the Procfile alone says how to start this process.
const http = require('node:http')

http
  .createServer((req, res) => {
    res.setHeader('Content-Type', 'text/plain')
    res.end('Hello from a Procfile-only app\n')
  })
  .listen(Number(process.env.PORT || 5000), process.env.HOST || '127.0.0.1')
