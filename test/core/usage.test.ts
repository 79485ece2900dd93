/**
 * Issue 14 item 4: tokens from Claude Code's transcript, read incrementally. The pure fold
 * (duplicate message ids of a streamed message, a half-written last line), the reader on real
 * files (offsets kept between reads, a truncated or replaced file, a new transcript), the cost
 * estimate and its config override, and get_session_status / list_agents showing it all.
 */
import {appendFile, mkdir, readFile, rm, truncate, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {CcmcpError} from '../../src/core/domain/errors.js'
import {parseConfigValue} from '../../src/core/domain/config.js'
import {Agent} from '../../src/core/domain/state.js'
import {readAgentUsage, usageFile} from '../../src/core/usage/agent-usage.js'
import {modelFamily} from '../../src/core/usage/prices.js'
import {SEEN_IDS_KEPT, foldChunk, freshCursor} from '../../src/core/usage/transcript.js'
import {updateAgent} from '../../src/core/agents/agent-store.js'
import {type Harness, createHarness, simulateClaude} from '../helpers/core-harness.js'

const encode = (text: string) => new TextEncoder().encode(text)

/** One transcript line of an assistant message, as Claude Code writes one per content block. */
function assistant(id: string, usage: {input?: number; output?: number; cacheRead?: number; cacheWrite?: number}, model = 'claude-sonnet-4-5-20250929'): string {
  return `${JSON.stringify({
    type: 'assistant',
    uuid: `${id}-${Math.random()}`,
    message: {id, model, role: 'assistant', content: [{type: 'text', text: 'x'}], usage: {input_tokens: usage.input ?? 0, output_tokens: usage.output ?? 0, cache_read_input_tokens: usage.cacheRead ?? 0, cache_creation_input_tokens: usage.cacheWrite ?? 0, service_tier: 'standard'}},
  })}\n`
}
const userLine = (text: string) => `${JSON.stringify({type: 'user', message: {role: 'user', content: text}})}\n`

describe('folding transcript bytes', () => {
  it('counts a streamed message once, with its last line\'s usage, whatever the other lines say', () => {
    const text = userLine('hi') + assistant('msg_1', {input: 10, output: 1, cacheWrite: 100}) + assistant('msg_1', {input: 10, output: 7, cacheWrite: 100}) + assistant('msg_2', {input: 3, output: 4, cacheRead: 50})
    const cursor = foldChunk(freshCursor(), encode(text))
    expect(cursor.byModel).toEqual({'claude-sonnet-4-5-20250929': {input: 13, output: 11, cacheRead: 50, cacheWrite: 100}})
    expect(cursor.offset).toBe(encode(text).length)
    // The same message's lines split across two reads still count once.
    const later = foldChunk(cursor, encode(assistant('msg_2', {input: 3, output: 9, cacheRead: 50})))
    expect(later.byModel['claude-sonnet-4-5-20250929']).toEqual({input: 13, output: 16, cacheRead: 50, cacheWrite: 100})
  })

  it('leaves a half-written last line for the next read, and reads it whole then', () => {
    const line = assistant('msg_1', {input: 5, output: 5})
    const first = foldChunk(freshCursor(), encode(userLine('a') + line.slice(0, 40)))
    expect(first.offset).toBe(encode(userLine('a')).length)
    expect(first.byModel).toEqual({})
    const second = foldChunk(first, encode(line))
    expect(second.byModel['claude-sonnet-4-5-20250929']).toEqual({input: 5, output: 5, cacheRead: 0, cacheWrite: 0})
  })

  it('skips garbage, synthetic notices and non-assistant lines; keeps a bounded list of recent ids', () => {
    const many = Array.from({length: SEEN_IDS_KEPT + 50}, (_, index) => assistant(`msg_${index}`, {output: 1})).join('')
    const text = 'not json {"usage"\n' + assistant('err', {output: 0}, '<synthetic>') + userLine('"usage" "assistant"') + many
    const cursor = foldChunk(freshCursor(), encode(text))
    expect(cursor.byModel).toEqual({'claude-sonnet-4-5-20250929': {input: 0, output: SEEN_IDS_KEPT + 50, cacheRead: 0, cacheWrite: 0}})
    expect(cursor.seen).toHaveLength(SEEN_IDS_KEPT)
  })
})

describe('prices', () => {
  it('names a model family without its date or context suffix', () => {
    expect(modelFamily('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5')
    expect(modelFamily('claude-opus-4-5[1m]')).toBe('claude-opus-4-5')
    expect(modelFamily('claude-3-5-haiku-latest')).toBe('claude-3-5-haiku')
  })

  it('a price override naming an unknown model is refused with the known ones; a valid one parses', () => {
    let error: CcmcpError | undefined
    try {
      parseConfigValue('prices', '{"gpt-4o": {"input": 1, "output": 2, "cacheRead": 0, "cacheWrite": 0}}')
    } catch (caught) {
      error = caught as CcmcpError
    }
    expect(error?.code).toBe('INVALID_INPUT')
    expect(error?.message).toMatch(/Unknown model "gpt-4o" in the price table override/)
    expect(() => parseConfigValue('prices', '{"claude-opus-4-5": {"input": 1}}')).toThrow(/Invalid value for prices/)
    expect(() => parseConfigValue('prices', '{not json')).toThrow(/not valid JSON/)
    expect(parseConfigValue('prices', '{"claude-opus-9": {"input": 1, "output": 2, "cacheRead": 0.1, "cacheWrite": 1.25}}').value).toEqual({'claude-opus-9': {input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.25}})
  })
})

describe('reading an agent\'s transcript', () => {
  let h: Harness
  let transcript: string
  let agent: Agent
  beforeEach(async () => {
    h = await createHarness()
    transcript = path.join(h.home, 'projects', 'x', 'conv.jsonl')
    await mkdir(path.dirname(transcript), {recursive: true})
    agent = Agent.parse({session: 's', name: 'Agent_1', kind: 'claude', command: ['claude'], status: 'idle', tab: null, conversationId: null, createdAt: '', lastEventAt: null, lastError: null, transcriptPath: transcript})
  })
  afterEach(async () => {
    await h.cleanup()
  })
  const read = (current = agent) => readAgentUsage(h.deps, current, undefined)

  it('reads only what was appended, from the offset it keeps; an unknown model keeps its tokens but has no cost', async () => {
    expect((await read())?.tokens).toEqual({input: 0, output: 0, cacheRead: 0, cacheWrite: 0})
    await writeFile(transcript, userLine('a') + assistant('m1', {input: 1000, output: 200, cacheRead: 300, cacheWrite: 400}))
    const first = await read()
    // Sonnet 4.5 list prices: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
    expect(first).toMatchObject({tokens: {input: 1000, output: 200, cacheRead: 300, cacheWrite: 400}, costUsd: 0.00759, costNote: 'estimate from list prices'})
    const saved = JSON.parse(await readFile(usageFile(h.home, agent), 'utf8'))
    expect(saved.cursor.offset).toBe((await readFile(transcript)).length)

    await appendFile(transcript, assistant('m1', {input: 1000, output: 250, cacheRead: 300, cacheWrite: 400}) + assistant('m2', {input: 1, output: 1}, 'claude-future-1'))
    const second = await read()
    expect(second?.tokens).toEqual({input: 1001, output: 251, cacheRead: 300, cacheWrite: 400})
    expect(second).toMatchObject({costUsd: null, costNote: expect.stringMatching(/no price for model claude-future-1/)})
    // Nothing new: the same answer.
    expect((await read())?.tokens).toEqual(second?.tokens)
  })

  it('a truncated or replaced transcript is counted again from its start; a new transcript adds to the old', async () => {
    await writeFile(transcript, assistant('m1', {output: 10}) + assistant('m2', {output: 20}))
    expect((await read())?.tokens.output).toBe(30)
    await truncate(transcript, 0)
    await writeFile(transcript, assistant('m9', {output: 5}))
    expect((await read())?.tokens.output).toBe(5)
    // Replaced by a longer file with other content: the head differs.
    await rm(transcript)
    await writeFile(transcript, userLine('other conversation') + assistant('m3', {output: 7}) + assistant('m4', {output: 8}))
    expect((await read())?.tokens.output).toBe(15)

    const next = path.join(path.dirname(transcript), 'conv2.jsonl')
    await writeFile(next, assistant('n1', {output: 100}))
    expect((await read({...agent, transcriptPath: next}))?.tokens.output).toBe(115)
    await appendFile(next, assistant('n2', {output: 1}))
    expect((await read({...agent, transcriptPath: next}))?.tokens.output).toBe(116)
  })

  it('a damaged usage record is rebuilt from the transcript; a program agent has no usage', async () => {
    await writeFile(transcript, assistant('m1', {input: 4}))
    expect((await read())?.tokens.input).toBe(4)
    await writeFile(usageFile(h.home, agent), '{broken')
    expect((await read())?.tokens.input).toBe(4)
    expect(await readAgentUsage(h.deps, {...agent, kind: 'command'}, undefined)).toBeNull()
  })
})

describe('status reads show usage', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
    simulateClaude(h)
  })
  afterEach(async () => {
    await h.cleanup()
  })

  it('get_session_status and list_agents carry each agent\'s tokens and the session total; the price override applies', async () => {
    await h.core.run('create_session', {name: 's', root: h.root})
    await h.core.run('create_agent', {session: 's'})
    await h.core.run('create_agent', {session: 's'})
    const transcripts: string[] = []
    for (const name of ['Agent_1', 'Agent_2']) {
      const file = path.join(h.home, 'transcripts', `${name}.jsonl`)
      await mkdir(path.dirname(file), {recursive: true})
      transcripts.push(file)
      await updateAgent(h.deps, `s/${name}`, (current) => ({...current, transcriptPath: file}))
    }
    await writeFile(transcripts[0] as string, assistant('a', {input: 1_000_000}, 'claude-opus-4-5-20251101'))
    await writeFile(transcripts[1] as string, assistant('b', {output: 1_000_000}, 'claude-opus-4-5-20251101'))
    const status = await h.core.run('get_session_status', {name: 's'})
    expect(status.agents.map((agent) => agent.usage?.costUsd)).toEqual([5, 25])
    expect(status.usage).toMatchObject({tokens: {input: 1_000_000, output: 1_000_000, cacheRead: 0, cacheWrite: 0}, costUsd: 30})
    expect(status.agents[0]?.git).toBeNull()

    await h.core.run('set_config', {key: 'prices', value: '{"claude-opus-4-5": {"input": 1, "output": 2, "cacheRead": 0, "cacheWrite": 0}}'})
    const listed = await h.core.run('list_agents', {session: 's'})
    expect(listed.agents.map((agent) => agent.usage?.costUsd)).toEqual([1, 2])
  })
})
