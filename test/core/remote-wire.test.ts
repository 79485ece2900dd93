import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {describe, expect, it} from 'vitest'

import {HOSTILE_MESSAGES} from '../helpers/hostile.js'
import {sshArgv, validateHost} from '../../src/core/remote/ssh-command.js'
import {shellQuote} from '../../src/core/domain/shell-quote.js'
import {WIRE_PROTOCOL, callArgs, decodeAnswer} from '../../src/core/remote/wire.js'
import {CcmcpError} from '../../src/core/domain/errors.js'

const run = promisify(execFile)

describe('the ssh argv', () => {
  const spec = {ssh: ['ssh', '-F', '/cfg'], host: 'box', controlPath: '/h/ssh/abc', remoteCcmcp: 'ccmcp', args: callArgs('get_session_status')}

  it('keeps the user options first, adds the connection discipline, and puts the host alone after --', () => {
    const {file, args} = sshArgv(spec)
    expect(file).toBe('ssh')
    expect(args.slice(0, 2)).toEqual(['-F', '/cfg'])
    const options = args.filter((_, index) => args[index - 1] === '-o')
    expect(options).toEqual(['BatchMode=yes', 'ConnectTimeout=10', 'ServerAliveInterval=15', 'ServerAliveCountMax=3', 'ControlMaster=auto', 'ControlPersist=600', 'ControlPath=/h/ssh/abc'])
    expect(args.join(' ')).not.toMatch(/StrictHostKeyChecking/)
    expect(args.at(-3)).toBe('--')
    expect(args.at(-2)).toBe('box')
    expect(args.at(-1)).toBe(`ccmcp call get_session_status --protocol ${WIRE_PROTOCOL} --json`)
  })

  it.each(['-oProxyCommand=sh', '-p22', 'a b', 'tab\there', 'nl\nhere', '', 'x'.repeat(256)])('refuses the host %j', (host) => {
    expect(() => validateHost(host)).toThrow(CcmcpError)
    expect(() => sshArgv({...spec, host})).toThrow(/cannot be used/)
  })

  it.each(['box', 'me@10.0.0.5', 'build-box.example.com', '[::1]', 'alias_1'])('takes the host %j', (host) => {
    expect(validateHost(host)).toBe(host)
  })

  it('quotes each argument once, so the remote shell reads back every byte (checked with a real sh)', async () => {
    const words = [...HOSTILE_MESSAGES, "'", "''", '', '\\', '$', '*']
    const line = ['printf "%s\\0"', ...words.map(shellQuote)].join(' ')
    const {stdout} = await run('sh', ['-c', line])
    expect(stdout.split('\0').slice(0, -1)).toEqual(words)
  })
})

describe('answers from the remote ccmcp', () => {
  const ok = (output: unknown) => ({stdout: JSON.stringify({protocol: WIRE_PROTOCOL, version: '1.0.0', output}, null, 2), stderr: '', exitCode: 0, timedOut: false})

  it('is the output, even after a login banner', () => {
    expect(decodeAnswer('box', 'ccmcp', ok({a: 1}))).toEqual({a: 1})
    const bannered = ok({a: 2})
    expect(decodeAnswer('box', 'ccmcp', {...bannered, stdout: `Welcome to box {really}\n${bannered.stdout}`})).toEqual({a: 2})
  })

  it('is the remote error with the same code, naming the host', () => {
    const stdout = JSON.stringify({error: {code: 'NOT_FOUND', message: 'No session named "x".', hint: 'Known sessions: y.', exitCode: 3}}, null, 2)
    const error = catchError(() => decodeAnswer('box', 'ccmcp', {stdout, stderr: '', exitCode: 3, timedOut: false}))
    expect(error).toMatchObject({code: 'NOT_FOUND', hint: 'Known sessions: y.'})
    expect(error.message).toContain('on box')
  })

  it('names an unreachable host, a missing ccmcp, a stranger and another protocol', () => {
    expect(catchError(() => decodeAnswer('box', 'ccmcp', {stdout: '', stderr: 'ssh: connect to host box port 22: Connection refused\n', exitCode: 255, timedOut: false}))).toMatchObject({code: 'BACKEND_UNAVAILABLE', reason: 'host-unreachable'})
    expect(catchError(() => decodeAnswer('box', 'ccmcp', {stdout: '', stderr: 'sh: 1: ccmcp: not found\n', exitCode: 127, timedOut: false}))).toMatchObject({code: 'ENVIRONMENT', reason: 'remote-ccmcp-missing'})
    expect(catchError(() => decodeAnswer('box', 'echo', {stdout: 'call get_session_status\n', stderr: '', exitCode: 0, timedOut: false}))).toMatchObject({code: 'ENVIRONMENT', reason: 'remote-protocol'})
    expect(catchError(() => decodeAnswer('box', 'ccmcp', {...ok({}), stdout: JSON.stringify({protocol: 99, output: {}})}))).toMatchObject({code: 'ENVIRONMENT', reason: 'remote-protocol'})
    expect(catchError(() => decodeAnswer('box', 'ccmcp', {stdout: '', stderr: '', exitCode: undefined, timedOut: true}))).toMatchObject({code: 'TIMEOUT'})
  })
})

function catchError(fn: () => unknown): CcmcpError {
  try {
    fn()
  } catch (error) {
    return error as CcmcpError
  }
  throw new Error('expected a failure')
}
