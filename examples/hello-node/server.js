// A minimal web process: answers every request with the app's POWERED_BY setting and the
// process that served it, so you can watch scaling and config changes through the router.
const http = require('node:http')

const port = Number(process.env.PORT || 5000)
const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'text/plain')
  res.end(`Powered by ${process.env.POWERED_BY || 'Deis'}\nRelease ${process.env.WORKFLOW_RELEASE || 'v0'} on ${process.env.HOSTNAME || 'localhost'}\n`)
})

// HOST is where the platform asks apps to listen (the local controller: 127.0.0.1, so only its router reaches them)
server.listen(port, process.env.HOST || '127.0.0.1', () => console.log(`listening on port ${port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
