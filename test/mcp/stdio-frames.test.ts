/**
 * The built `ccmcp serve` over stdio, spoken to with raw lines: every malformed request that has
 * an id gets a JSON-RPC error with that id, a frame over 10 MiB is refused (with its id) while
 * the server goes on, and nothing a client sent ends up in serve.log or on stderr.
 */
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {createInterface} from 'node:readline'
import {afterEach, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox, eventually} from '../helpers/cli.js'
import {serverEnv} from '../helpers/serve.js'

let sandbox: Sandbox | undefined
let child: ChildProcessWithoutNullStreams | undefined
afterEach(async () => {
  child?.kill()
  await sandbox?.cleanup()
  child = undefined
  sandbox = undefined
})

interface Answer {
  jsonrpc: string
  id?: string | number
  result?: {tools?: unknown[]}
  error?: {code: number; message: string}
}

async function startRaw(): Promise<{send(line: string): void; answers: Answer[]; stderr(): string; byId(id: string | number): Promise<Answer>}> {
  sandbox = await createSandbox()
  const started = spawn(process.execPath, [binPath, 'serve'], {env: {...serverEnv(sandbox), CCMCP_DEBUG: ''}})
  child = started
  const answers: Answer[] = []
  let stderr = ''
  started.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  createInterface({input: started.stdout}).on('line', (line) => answers.push(JSON.parse(line) as Answer))
  const send = (line: string) => started.stdin.write(`${line}\n`)
  send(JSON.stringify({jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '0'}}}))
  send(JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}))
  const byId = (id: string | number) => eventually(async () => answers.find((answer) => answer.id === id), 30_000)
  await byId(1)
  return {send, answers, stderr: () => stderr, byId}
}

describe('ccmcp serve over stdio: malformed and oversized frames (built binary)', () => {
  it('answers every malformed request that has an id with a JSON-RPC error carrying that id, and goes on', async () => {
    const server = await startRaw()
    const malformed: Array<[string | number, string]> = [
      [11, '{"jsonrpc":"2.0","id":11,"method":42}'],
      [12, '{"jsonrpc":"2.0","id":12}'],
      [13, '{"jsonrpc":"1.0","id":13,"method":"tools/list"}'],
      [14, '{"id":14,"method":"tools/list"}'],
      ['s15', '{"jsonrpc":"2.0","id":"s15","method":"tools/list","params":"not an object"}'],
      [16, '{"jsonrpc":"2.0","id":16,"method":"tools/list","unexpected":true}'],
    ]
    for (const [, line] of malformed) server.send(line)
    server.send('{"jsonrpc":"2.0","id":17,"method":"tools/list"}')
    for (const [id] of malformed) {
      const answer = await server.byId(id)
      expect(answer.error?.code, JSON.stringify(answer)).toBe(-32600)
      expect(answer.result).toBeUndefined()
    }
    expect((await server.byId(17)).result?.tools?.length).toBeGreaterThan(10)
    // Garbage with no id at all gets a parse error without an id (and no echo of the line).
    server.send('this is not JSON at all')
    const parseError = await eventually(async () => server.answers.find((answer) => answer.error?.code === -32700))
    expect(parseError.id).toBeUndefined()
    expect(parseError.error?.message).not.toContain('this is not')
  }, 60_000)

  it('refuses a frame over 10 MiB with its id, without stopping, and keeps client text out of its log', async () => {
    const server = await startRaw()
    const word = 'UNIQUEWORDc0ffee'
    // The SDK's client writes "id" last; the frame is 11 MiB.
    const huge = `{"method":"tools/call","params":{"name":"list_sessions","arguments":{"pad":"${word}${'x'.repeat(11 * 1024 * 1024)}"}},"jsonrpc":"2.0","id":20}`
    server.send(huge)
    server.send(`{"jsonrpc":"2.0","id":"21","method":"tools/call","params":{"name":"list_sessions","arguments":{}}}`)
    const refused = await server.byId(20)
    expect(refused.error?.code).toBe(-32600)
    expect(refused.error?.message).toMatch(/too large/)
    expect((await server.byId('21')).result).toBeDefined()

    // Message text in garbage, in a malformed request and in an unexpected response.
    server.send(`not json ${word}`)
    server.send(`{"jsonrpc":"2.0","id":22,"method":{"${word}":1}}`)
    server.send(`{"jsonrpc":"2.0","id":999,"result":{"said":"${word}"}}`)
    server.send('{"jsonrpc":"2.0","id":23,"method":"tools/list"}')
    await server.byId(22)
    expect((await server.byId(23)).result?.tools?.length).toBeGreaterThan(10)
    const logFile = path.join(sandbox!.home, 'logs', 'serve.log')
    await eventually(async () => ((await readFile(logFile, 'utf8')).includes('unknown message ID') ? true : undefined))
    const log = await readFile(logFile, 'utf8')
    expect(log).toMatch(/refused a message/)
    expect(log).not.toContain(word)
    expect(server.stderr()).not.toContain(word)
    expect((await stat(logFile)).mode & 0o777).toBe(0o600)
    expect(child?.exitCode).toBeNull()

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve))
    child!.stdin.end()
    expect(await exited).toBe(0)
  }, 60_000)
})
