/** The system's URL opener: `open` on macOS, `cmd /c start` on Windows, `xdg-open` elsewhere. */
function opener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]]
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]]
  return ['xdg-open', [url]]
}

/**
 * Starts the browser on `url` without waiting for it; resolves to an error message when the opener
 * cannot be started (none installed, headless machine), undefined otherwise.
 */
export async function openBrowser(url: string): Promise<string | undefined> {
  const {spawn} = await import('node:child_process')
  const [cmd, args] = opener(url)
  return new Promise(resolve => {
    const child = spawn(cmd, args, {detached: true, stdio: 'ignore'})
    child.once('error', error => resolve(`could not start ${cmd}: ${(error as NodeJS.ErrnoException).code ?? error.message}`))
    child.once('spawn', () => {
      child.unref()
      resolve(undefined)
    })
  })
}
