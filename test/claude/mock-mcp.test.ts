/** The mock's MOCK_TOOL_MCP script, request by request as Claude Code 2.1.330 sends them (shapes seen with the real binary). */
import {describe, expect, it} from 'vitest'

import {planFor} from './mock-script.js'

const prompt = {role: 'user', content: [{type: 'text', text: '<system-reminder>\nsomething\n</system-reminder>\n'}, {type: 'text', text: 'MOCK_TOOL_MCP mcp__ccmcp__claim_task {"next":true}'}]}
const toolUses = (plan: ReturnType<typeof planFor>) => (plan.kind === 'message' ? plan.content.filter((block) => block.type === 'tool_use') : [])

describe('MOCK_TOOL_MCP', () => {
  it('loads the deferred tool with ToolSearch, then calls it with the JSON input, then ends the turn with its result', () => {
    const first = planFor({messages: [prompt]})
    expect(toolUses(first)).toEqual([expect.objectContaining({name: 'ToolSearch', input: {query: 'select:mcp__ccmcp__claim_task', max_results: 1}})])
    const searched = {role: 'assistant', content: [{type: 'text', text: 'MOCK_TOOL: loading.'}, {type: 'tool_use', id: 't1', name: 'ToolSearch', input: {}}]}
    // ToolSearch's result carries a tool_reference and a text block of its own ("Tool loaded.").
    const loaded = {role: 'user', content: [{type: 'tool_result', tool_use_id: 't1', content: [{type: 'tool_reference', tool_name: 'mcp__ccmcp__claim_task'}]}, {type: 'text', text: 'Tool loaded.'}]}
    const second = planFor({messages: [prompt, searched, loaded]})
    expect(toolUses(second)).toEqual([expect.objectContaining({name: 'mcp__ccmcp__claim_task', input: {next: true}})])
    const called = {role: 'assistant', content: [{type: 'tool_use', id: 't2', name: 'mcp__ccmcp__claim_task', input: {next: true}}]}
    const result = {role: 'user', content: [{type: 'tool_result', tool_use_id: 't2', content: '{"task":{"id":"T-1"}}'}]}
    const third = planFor({messages: [prompt, searched, loaded, called, result]})
    expect(third).toMatchObject({kind: 'message', stopReason: 'end_turn', content: [{type: 'text', text: 'MOCK_TOOL_DONE: {"task":{"id":"T-1"}}'}]})
  })
})
