/**
 * A real OpenSSH server for tests (remote.md's recipe): loopback only, a free port, throwaway host
 * and client keys, and an ssh_config naming it by an alias, so ccmcp runs the user's own `ssh -F`
 * exactly as it would against a build box. OpenSSH reads ~/.ssh/config from the passwd home, not
 * $HOME, so the config is always passed with -F (CCMCP_SSH).
 */
import {execFile} from 'node:child_process'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export interface TestSshd {
  alias: string
  dir: string
  /** First on PATH for commands run over ssh: where a test puts the host's `ccmcp`. */
  binDir: string
  port: number
  /** The value for CCMCP_SSH (or the sshCommand setting). */
  sshCommand: string
  start(): Promise<void>
  stop(): Promise<void>
  cleanup(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function listening(port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, address)
    // An address whose link is cut drops the SYN: no answer in a second is "not listening".
    socket.setTimeout(1000, () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export interface SshdOptions {
  /** Where it listens (default 127.0.0.1), e.g. a test network namespace's address. */
  address?: string
  /** argv prefix it starts under, e.g. `ip netns exec <ns>`. */
  exec?: readonly string[]
}

export async function startSshd(alias = 'ccmcp-test-host', options: SshdOptions = {}): Promise<TestSshd> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ccssh-'))
  const address = options.address ?? '127.0.0.1'
  const port = await freePort()
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')])
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'client_key')])
  await writeFile(path.join(dir, 'authorized_keys'), await readFile(path.join(dir, 'client_key.pub')), {mode: 0o600})
  const hostKey = (await readFile(path.join(dir, 'host_key.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ')
  await writeFile(path.join(dir, 'known_hosts'), `[${address}]:${port} ${hostKey}\n`)
  const sshdConfig = path.join(dir, 'sshd_config')
  await writeFile(
    sshdConfig,
    [
      `Port ${port}`,
      `ListenAddress ${address}`,
      `HostKey ${path.join(dir, 'host_key')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      `SetEnv PATH=${path.join(dir, 'bin')}:/usr/local/bin:/usr/bin:/bin`,
      '',
    ].join('\n'),
  )
  const user = os.userInfo().username
  const clientConfig = path.join(dir, 'ssh_config')
  await writeFile(
    clientConfig,
    [
      `Host ${alias}`,
      `  HostName ${address}`,
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${path.join(dir, 'client_key')}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`,
      '  StrictHostKeyChecking yes',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  )
  await mkdir('/run/sshd', {recursive: true, mode: 0o755})
  await mkdir(path.join(dir, 'bin'))
  const sshd: TestSshd = {
    alias,
    dir,
    binDir: path.join(dir, 'bin'),
    port,
    sshCommand: `ssh -F ${clientConfig}`,
    async start() {
      const [file = '/usr/sbin/sshd', ...prefix] = [...(options.exec ?? []), '/usr/sbin/sshd']
      await run(file, [...prefix, '-f', sshdConfig, '-E', path.join(dir, 'sshd.log')])
      const deadline = Date.now() + 10_000
      while (!(await listening(port, address))) {
        if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}: ${await readFile(path.join(dir, 'sshd.log'), 'utf8').catch(() => '')}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    async stop() {
      const pid = Number((await readFile(path.join(dir, 'sshd.pid'), 'utf8').catch(() => '')).trim())
      if (!(pid > 0)) return
      // Its connections (each ControlMaster's) outlive the listener: a host that is down has none.
      const connections = (await run('pgrep', ['-P', String(pid)]).catch(() => ({stdout: ''}))).stdout.split('\n').filter(Boolean).map(Number)
      for (const target of [pid, ...connections]) {
        try {
          process.kill(target, 'SIGTERM')
        } catch {
          // already gone
        }
      }
      while (await listening(port, address)) await new Promise((resolve) => setTimeout(resolve, 50))
    },
    async cleanup() {
      await sshd.stop()
      // Its sessions' processes may still be closing their log.
      await rm(dir, {recursive: true, force: true, maxRetries: 10, retryDelay: 100})
    },
  }
  await sshd.start()
  return sshd
}
