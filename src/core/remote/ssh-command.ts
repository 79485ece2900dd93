/**
 * How ccmcp talks to another host: the user's own OpenSSH, with the options peers settled on
 * (remote.md), the host as its own argv element after `--`, and the remote command quoted for the
 * remote shell exactly once, here. Pure, so every byte of the ssh argv is tested.
 */
import {CcmcpError} from '../domain/errors.js'
import {shellQuote} from '../domain/shell-quote.js'

/** A destination as ssh takes it: `host`, `user@host`, an ssh_config alias; never an option, never whitespace. */
export function validateHost(host: string): string {
  const problem = host.length === 0 ? 'it is empty' : host.startsWith('-') ? 'it starts with "-" (ssh would read it as an option)' : /[\s\p{Cc}]/u.test(host) ? 'it holds whitespace or a control character' : host.length > 255 ? 'it is longer than 255 characters' : null
  if (problem) {
    throw new CcmcpError('INVALID_INPUT', `The host "${host.slice(0, 80)}" cannot be used: ${problem}.`, {
      hint: 'Give an ssh destination such as build-box, me@10.0.0.5 or an alias from ~/.ssh/config.',
      reason: 'bad-host',
    })
  }
  return host
}

export interface SshCallSpec {
  /** The ssh program and the user's own options (from CCMCP_SSH / sshCommand). */
  ssh: readonly string[]
  host: string
  /** The ControlMaster socket for this host, in a 0700 directory of ccmcp's. */
  controlPath: string
  /** The remote ccmcp as the user wrote it for the remote shell (e.g. `ccmcp`, `~/bin/ccmcp`); not quoted again. */
  remoteCcmcp: string
  /** Arguments for the remote ccmcp: quoted here, once. */
  args: readonly string[]
  connectTimeoutSeconds?: number
}

/** What a person types to run `remoteLine` on the host in their terminal (a tty: -t). */
export function interactiveSshArgv(ssh: readonly string[], host: string, remoteLine: string): string[] {
  return [...ssh, '-t', '--', validateHost(host), remoteLine]
}

/** The argv that runs the remote ccmcp on the host; the last element is the one line the remote shell reads. */
export function sshArgv(spec: SshCallSpec): {file: string; args: string[]} {
  const [file, ...userOptions] = spec.ssh
  if (!file) throw new CcmcpError('INVALID_INPUT', 'The ssh command is empty.', {hint: 'Set CCMCP_SSH or `ccmcp config set sshCommand "ssh"`.'})
  const options = [
    ['BatchMode', 'yes'],
    ['ConnectTimeout', String(spec.connectTimeoutSeconds ?? 10)],
    ['ServerAliveInterval', '15'],
    ['ServerAliveCountMax', '3'],
    ['ControlMaster', 'auto'],
    ['ControlPersist', '600'],
    ['ControlPath', spec.controlPath],
  ].flatMap(([key, value]) => ['-o', `${key}=${value}`])
  const remoteLine = [spec.remoteCcmcp, ...spec.args.map(shellQuote)].join(' ')
  return {file, args: [...userOptions, ...options, '--', validateHost(spec.host), remoteLine]}
}
