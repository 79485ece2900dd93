/**
 * The mock Messages API on its own (no Claude Code binary needed): the SSE sequence of
 * claude-code.md §8, the scripted keywords, side requests and the request records.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type MockApi, start} from './mock-api.js'

const ENV_MESSAGE = {role: 'system', content: '# Environment\nPrimary working directory: /work/proj\n'}

function userTurn(prompt: string): Record<string, unknown> {
  return {role: 'user', content: [{type: 'text', text: '<system-reminder>\nctx\n</system-reminder>'}, {type: 'text', text: prompt}]}
}

function body(messages: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {model: 'claude-opus-5-5', max_tokens: 1000, stream: true, system: [{type: 'text', text: 'base'}, {type: 'text', text: 'main\nAPPENDED'}], messages, ...extra}
}

interface Frame {
  event: string
  data: Record<string, unknown>
}

function parseSse(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? ''
      const data = JSON.parse(/^data: (.*)$/m.exec(chunk)?.[1] ?? '{}') as Record<string, unknown>
      return {event, data}
    })
}

describe('mock Messages API', () => {
  let api: MockApi
  beforeAll(async () => {
    api = await start()
  })
  afterAll(() => api.close())

  const post = (payload: unknown, headers: Record<string, string> = {}, path = '/v1/messages?beta=true') =>
    fetch(`${api.url}${path}`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify(payload)})

  it('binds to loopback on a free port', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(api.port).toBeGreaterThan(0)
  })

  it('streams a text reply in the accepted event order, tolerating the system-role message', async () => {
    const res = await post(body([userTurn('hello'), ENV_MESSAGE]), {'x-claude-code-session-id': 'sess-1'})
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const frames = parseSse(await res.text())
    expect(frames.map((f) => f.event)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'])
    for (const frame of frames) expect(frame.data.type).toBe(frame.event)
    expect(frames[0]?.data.message).toMatchObject({type: 'message', role: 'assistant', model: 'claude-opus-5-5', content: [], stop_reason: null})
    expect(frames[3]?.data.delta).toEqual({type: 'text_delta', text: 'MOCK_REPLY: hello'})
    expect(frames[5]?.data.delta).toMatchObject({stop_reason: 'end_turn'})
    const record = api.requests().at(-1)
    expect(record).toMatchObject({sessionId: 'sess-1', kind: 'main', path: '/v1/messages', stream: true, messageCount: 2, lastUserText: 'hello'})
    expect(record?.system).toContain('APPENDED')
    expect(record?.messages[1]).toEqual(ENV_MESSAGE)
  })

  it('splits long text into several deltas that concatenate to the reply', async () => {
    const prompt = 'x'.repeat(200)
    const frames = parseSse(await (await post(body([userTurn(prompt)]))).text())
    const text = frames.filter((f) => f.event === 'content_block_delta').map((f) => (f.data.delta as {text: string}).text)
    expect(text.length).toBeGreaterThan(1)
    expect(text.join('')).toBe(`MOCK_REPLY: ${prompt}`)
  })

  it('answers JSON when stream is false', async () => {
    const res = await post(body([userTurn('plain')], {stream: false}))
    expect(await res.json()).toMatchObject({type: 'message', content: [{type: 'text', text: 'MOCK_REPLY: plain'}], stop_reason: 'end_turn'})
  })

  it('MOCK_TOOL_BASH emits a Bash tool_use, and a tool_result gets the final text', async () => {
    const frames = parseSse(await (await post(body([userTurn('MOCK_TOOL_BASH echo hi > x.txt')]))).text())
    const start = frames.find((f) => f.event === 'content_block_start' && (f.data.content_block as {type: string}).type === 'tool_use')
    const block = start?.data.content_block as {id: string; name: string; input: unknown}
    expect(block).toMatchObject({name: 'Bash', input: {}})
    const json = frames.find((f) => f.event === 'content_block_delta' && (f.data.delta as {type: string}).type === 'input_json_delta')
    expect(JSON.parse((json?.data.delta as {partial_json: string}).partial_json)).toEqual({command: 'echo hi > x.txt', description: 'Mock command'})
    expect(frames.find((f) => f.event === 'message_delta')?.data.delta).toMatchObject({stop_reason: 'tool_use'})

    const followUp = [
      userTurn('MOCK_TOOL_BASH echo hi > x.txt'),
      {role: 'assistant', content: [{type: 'tool_use', id: block.id, name: 'Bash', input: {}}]},
      {role: 'user', content: [{type: 'tool_result', tool_use_id: block.id, content: 'done'}]},
    ]
    const res = await post(body(followUp, {stream: false}))
    expect(await res.json()).toMatchObject({content: [{type: 'text', text: 'MOCK_TOOL_DONE: done'}], stop_reason: 'end_turn'})
  })

  it('MOCK_TOOL_WRITE resolves a relative path against the cwd from the environment message', async () => {
    const res = await post(body([userTurn('MOCK_TOOL_WRITE notes.txt hello world'), ENV_MESSAGE], {stream: false}))
    const message = (await res.json()) as {content: Array<{type: string; input?: unknown}>}
    expect(message.content.find((b) => b.type === 'tool_use')?.input).toEqual({file_path: '/work/proj/notes.txt', content: 'hello world\n'})
  })

  it('MOCK_FAIL returns an HTTP error in the API error shape (400 by default, or the status given)', async () => {
    const bad = await post(body([userTurn('MOCK_FAIL now')]))
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({type: 'error', error: {type: 'invalid_request_error'}})
    const server = await post(body([userTurn('MOCK_FAIL 500')]))
    expect(server.status).toBe(500)
    expect(await server.json()).toMatchObject({type: 'error', error: {type: 'api_error'}})
  })

  it('answers the session-title side request with schema JSON, even for a keyword prompt', async () => {
    const title = body([{role: 'user', content: [{type: 'text', text: '<session>\nMOCK_FAIL x\n</session>'}]}], {
      tools: [],
      output_config: {format: {type: 'json_schema', schema: {type: 'object', properties: {title: {type: 'string'}}}}},
    })
    const frames = parseSse(await (await post(title)).text())
    const text = frames.filter((f) => f.event === 'content_block_delta').map((f) => (f.data.delta as {text: string}).text).join('')
    expect(JSON.parse(text)).toEqual({title: 'Mock session'})
    expect(api.requests().at(-1)?.kind).toBe('title')
  })

  it('allows auto-mode classifier requests', async () => {
    const res = await post(body([userTurn('classify')], {stream: false, stop_sequences: ['</block>']}))
    expect(await res.json()).toMatchObject({content: [{type: 'text', text: '<block>no'}], stop_reason: 'stop_sequence'})
  })

  it('MOCK_SLOW delays the answer', async () => {
    const waited = api.waitForRequest((r) => r.lastUserText === 'MOCK_SLOW 50 then reply', 5000)
    const res = await post(body([userTurn('MOCK_SLOW 50 then reply')], {stream: false}))
    expect(await res.json()).toMatchObject({content: [{text: 'MOCK_REPLY: MOCK_SLOW 50 then reply'}]})
    expect((await waited).kind).toBe('main')
  })

  it('answers preconnect, count_tokens and unknown routes', async () => {
    expect((await fetch(`${api.url}/api/hello`, {method: 'HEAD'})).status).toBe(200)
    const count = await post(body([userTurn('count')]), {}, '/v1/messages/count_tokens')
    expect(((await count.json()) as {input_tokens: number}).input_tokens).toBeGreaterThan(0)
    expect((await fetch(`${api.url}/nope`)).status).toBe(404)
    expect(api.requests().slice(-3).map((r) => r.kind)).toEqual(['hello', 'count_tokens', 'other'])
  })

  it('waitForRequest rejects when nothing matches in time', async () => {
    await expect(api.waitForRequest(() => false, 50)).rejects.toThrow(/no matching request/)
  })
})
