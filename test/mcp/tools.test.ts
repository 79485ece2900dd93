/**
 * Every MCP tool through the real SDK client (in-memory transport): one happy path and one
 * failure each, the failure carrying the CLI's error code. The table must cover every tool the
 * server lists, so a new operation cannot ship over MCP untested.
 */
import {execa} from 'execa'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {mcpOperations} from '../../src/core/pipeline/clearance.js'
import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type McpHarness, connectInMemory, textOf} from '../helpers/mcp.js'

type Structured = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read nested output freely

interface Case {
  args: (h: McpHarness) => Record<string, unknown>
  /** Runs before the call (after the seed). */
  prepare?: (h: McpHarness) => Promise<void>
}

interface ToolCases {
  happy: Case & {check: (out: Structured, h: McpHarness) => void | Promise<void>}
  failure: Case & {code: keyof typeof EXIT_CODES}
}

const AGENT = 'api/Agent_1'

/** A session "api" with one agent running a plain program (no Claude Code needed). */
async function seed(h: McpHarness): Promise<void> {
  await h.core.run('create_session', {name: 'api', root: h.root})
  await h.core.run('create_agent', {session: 'api', command: 'sh'})
}

const cases: Record<string, ToolCases> = {
  create_session: {
    happy: {args: (h) => ({name: 'web', root: h.root}), check: (out, h) => expect(out.session).toMatchObject({name: 'web', backend: 'tmux', root: expect.stringContaining(path.basename(h.root))})},
    failure: {args: (h) => ({name: 'api', root: h.root}), code: 'ALREADY_EXISTS'},
  },
  list_sessions: {
    happy: {args: () => ({}), check: (out) => expect(out.sessions).toEqual([expect.objectContaining({name: 'api', agents: 1})])},
    failure: {args: () => ({}), prepare: (h) => writeFile(path.join(h.home, 'state.json'), '{not json'), code: 'STATE_INVALID'},
  },
  get_session_status: {
    happy: {args: () => ({name: 'api'}), check: (out) => expect(out.agents.map((agent: Structured) => agent.name)).toEqual(['Agent_1'])},
    failure: {args: () => ({name: 'nope'}), code: 'NOT_FOUND'},
  },
  delete_session: {
    happy: {
      args: () => ({name: 'api'}),
      check: async (out, h) => {
        expect(out.deleted).toEqual({session: 'api', agents: ['Agent_1']})
        expect(h.backend.tabs).toHaveLength(0)
      },
    },
    failure: {args: () => ({name: 'nope'}), code: 'NOT_FOUND'},
  },
  create_agent: {
    happy: {args: () => ({session: 'api', command: 'aider --model x'}), check: (out) => expect(out.agent).toMatchObject({name: 'Agent_2', kind: 'command', command: ['aider', '--model', 'x']})},
    failure: {args: () => ({session: 'nope'}), code: 'NOT_FOUND'},
  },
  list_agents: {
    happy: {args: () => ({session: 'api'}), check: (out) => expect(out.agents).toEqual([expect.objectContaining({session: 'api', name: 'Agent_1'})])},
    failure: {args: () => ({session: 'nope'}), code: 'NOT_FOUND'},
  },
  read_agent_screen: {
    happy: {args: () => ({agent: AGENT, lines: 5}), check: (out) => expect(out.screen).toBe('screen of api/Agent_1')},
    failure: {args: () => ({agent: 'api/Agent_9'}), code: 'NOT_FOUND'},
  },
  focus_agent: {
    happy: {args: () => ({agent: AGENT}), check: (out) => expect(out).toMatchObject({focused: false, hint: 'attach here'})},
    failure: {args: () => ({agent: 'Agent_9'}), code: 'NOT_FOUND'},
  },
  delete_agent: {
    happy: {args: () => ({agent: AGENT}), check: (out, h) => expect([out.deleted, h.backend.tabs.length]).toEqual([{session: 'api', agent: 'Agent_1'}, 0])},
    failure: {args: () => ({agent: 'api/Agent_9'}), code: 'NOT_FOUND'},
  },
  merge_agent: {
    happy: {
      args: () => ({agent: 'api/Agent_2'}),
      prepare: async (h) => {
        const git = (...args: string[]) => execa('git', ['-C', h.root, '-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args])
        await execa('git', ['init', '-q', '-b', 'main', h.root])
        await git('commit', '-q', '--allow-empty', '-m', 'first')
        await h.core.run('set_config', {key: 'worktreeDir', value: path.join(h.home, 'worktrees')})
        const {agent} = await h.core.run('create_agent', {session: 'api', command: 'sh', worktree: true})
        await writeFile(path.join(agent.worktree?.path ?? '', 'done.txt'), 'done\n')
        await execa('git', ['-C', agent.worktree?.path ?? '', 'add', 'done.txt'])
        await execa('git', ['-C', agent.worktree?.path ?? '', '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'work'])
      },
      check: async (out, h) => {
        expect(out).toMatchObject({merged: {agent: 'Agent_2', branch: 'ccmcp/api/Agent_2', into: 'main'}, removed: {branchDeleted: true}})
        expect((await execa('git', ['-C', h.root, 'show', 'main:done.txt'])).stdout).toBe('done')
      },
    },
    // Agent_1 has no worktree: nothing to merge.
    failure: {args: () => ({agent: AGENT}), code: 'INVALID_INPUT'},
  },
  send_message_to_agent: {
    happy: {
      args: () => ({agent: AGENT, message: 'fix the tests\nthen report'}),
      check: (out, h) => {
        expect(out.delivery).toBe('sent')
        expect(h.backend.tabOf(AGENT)?.typed).toEqual([{text: 'fix the tests\nthen report', submit: true}])
      },
    },
    failure: {args: () => ({agent: AGENT, message: 'up\u001B[A'}), code: 'INVALID_INPUT'},
  },
  broadcast_message: {
    happy: {
      args: () => ({session: 'api', message: 'all hands'}),
      check: (out, h) => {
        expect(out.messages).toEqual([expect.objectContaining({to: AGENT, delivery: 'sent', error: null})])
        expect(h.backend.tabOf(AGENT)?.typed).toEqual([{text: 'all hands', submit: true}])
      },
    },
    failure: {args: () => ({message: 'to whom?'}), code: 'INVALID_INPUT'},
  },
  list_messages: {
    happy: {
      args: () => ({agent: AGENT}),
      prepare: async (h) => void (await h.core.run('send_message_to_agent', {agent: AGENT, message: 'first'})),
      check: (out) => expect(out.inbox).toEqual([expect.objectContaining({from: 'operator', to: 'Agent_1', text: 'first', state: 'sent'})]),
    },
    failure: {args: () => ({agent: 'api/Agent_9'}), code: 'NOT_FOUND'},
  },
  answer_agent: {
    happy: {
      args: () => ({agent: AGENT, answer: 'deny', message: 'use scratch/'}),
      // The agent waits at a permission prompt; a stand-in for its hook takes the answer once it is stored.
      prepare: async (h) => {
        const request = {id: 'r1', tool: 'Bash', summary: 'Bash(rm x)', askedAt: '', hookPid: process.pid, decision: null}
        await h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, status: 'waiting' as const, waitingFor: 'permission: Bash(rm x)', permissionRequest: request}))}, result: undefined}))
        void (async () => {
          for (let tries = 0; tries < 500; tries++) {
            const agent = (await h.deps.ports.state.read()).agents[0]
            if (agent?.permissionRequest?.decision) {
              await h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((one) => ({...one, status: 'busy' as const, waitingFor: null, permissionRequest: null}))}, result: undefined}))
              return
            }
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
        })()
      },
      check: (out) => expect(out).toMatchObject({answered: {answer: 'deny', summary: 'Bash(rm x)'}, agent: {status: 'busy', permissionRequest: null}}),
    },
    failure: {args: () => ({agent: AGENT, answer: 'allow'}), code: 'AGENT_NOT_WAITING'},
  },
  clear_agent_conversation: {
    happy: {args: () => ({agent: AGENT}), check: (out) => expect(out.agent).toMatchObject({status: 'closed', tab: null})},
    failure: {args: () => ({agent: 'api/Agent_9'}), code: 'NOT_FOUND'},
  },
  start_new_agent_conversation: {
    happy: {args: () => ({agent: AGENT}), check: (out, h) => expect([out.agent.tab, h.backend.tabs.length]).toEqual([expect.objectContaining({paneId: '%1'}), 1])},
    failure: {args: () => ({agent: 'api/Agent_9'}), code: 'NOT_FOUND'},
  },
  wait_for_agent: {
    happy: {
      args: () => ({agent: AGENT, until: 'idle', timeoutSeconds: 5}),
      prepare: (h) => h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, status: 'idle' as const}))}, result: undefined})),
      check: (out) => expect(out.agent).toMatchObject({name: 'Agent_1', status: 'idle'}),
    },
    failure: {
      args: () => ({agent: AGENT, until: 'idle', timeoutSeconds: 1}),
      // A program that reports hooks (it has sent an event) and stays busy: the wait times out.
      prepare: (h) => h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, status: 'busy' as const, lastEventAt: new Date().toISOString()}))}, result: undefined})),
      code: 'TIMEOUT',
    },
  },
  restart_agent: {
    happy: {
      args: () => ({agent: AGENT}),
      prepare: async (h) => {
        const tab = h.backend.tabOf(AGENT)
        if (tab) Object.assign(tab, {alive: false, exitStatus: 1})
      },
      check: (out, h) => expect([out.agent.tab?.paneId, h.backend.tabs.length]).toEqual(['%1', 1]),
    },
    // Restart is for ended agents; a running one is refused.
    failure: {args: () => ({agent: AGENT}), code: 'CONFLICT'},
  },
  trust_session: {
    happy: {args: () => ({name: 'api'}), check: (out) => expect(out).toMatchObject({trust: {changed: true}, restarted: []})},
    failure: {args: () => ({name: 'nope'}), code: 'NOT_FOUND'},
  },
  recover_session: {
    happy: {
      args: () => ({name: 'api'}),
      prepare: async (h) => {
        h.backend.tabs.splice(0) // the terminal died: every tab is gone
      },
      check: (out, h) => {
        expect(out).toMatchObject({session: 'api', restarted: ['Agent_1'], adopted: []})
        expect(h.backend.tabs.map((tab) => tab.request.agentKey)).toEqual([AGENT])
      },
    },
    failure: {args: () => ({name: 'nope'}), code: 'NOT_FOUND'},
  },
  doctor: {
    happy: {
      args: () => ({}),
      check: (out) => {
        expect(out.checks.map((check: Structured) => check.name)).toEqual(expect.arrayContaining(['state store', 'config', 'backend tmux', 'program claude']))
        expect(out.claudeDesktop.snippet).toEqual({mcpServers: {ccmcp: {command: '/usr/bin/node', args: ['/opt/ccmcp/bin/run.js', 'serve']}}})
      },
    },
    // doctor reports failures instead of failing; its "error path" is a broken state file.
    failure: {args: () => ({}), prepare: (h) => writeFile(path.join(h.home, 'config.json'), '{"maxAgents": "many"}'), code: 'STATE_INVALID'},
  },
  ...taskCases(),
}

/** The task board's tools (issue 11), over a board with one task T-1 where a case needs it. */
function taskCases(): Record<string, ToolCases> {
  const task = async (h: McpHarness) => {
    await h.core.run('create_task', {session: 'api', title: 'Write the parser'})
  }
  const claimed = async (h: McpHarness) => {
    await task(h)
    await h.core.run('claim_task', {session: 'api', id: 'T-1', agent: 'Agent_1'})
  }
  const done = async (h: McpHarness) => {
    await task(h)
    await h.core.run('complete_task', {session: 'api', id: 'T-1', result: 'parsed'})
  }
  const one = {session: 'api', id: 'T-1'}
  return {
    create_task: {
      happy: {args: () => ({session: 'api', title: 'Write the parser', blockedBy: []}), check: (out) => expect(out.task).toMatchObject({id: 'T-1', status: 'open', createdBy: 'mcp client (HIGH)'})},
      failure: {args: () => ({session: 'api', title: 'Test it', blockedBy: ['T-9']}), code: 'INVALID_INPUT'},
    },
    list_tasks: {
      happy: {args: () => ({session: 'api'}), prepare: task, check: (out) => expect(out.tasks.map((listed: Structured) => listed.id)).toEqual(['T-1'])},
      failure: {args: () => ({session: 'nope'}), code: 'NOT_FOUND'},
    },
    get_task: {
      happy: {args: () => one, prepare: task, check: (out) => expect(out.task.events).toEqual([expect.objectContaining({type: 'created'})])},
      failure: {args: () => ({session: 'api', id: 'T-9'}), code: 'NOT_FOUND'},
    },
    claim_task: {
      happy: {args: () => ({session: 'api', next: true, agent: 'Agent_1'}), prepare: task, check: (out) => expect(out.task).toMatchObject({status: 'claimed', claimedBy: 'Agent_1'})},
      failure: {args: () => ({session: 'api', next: true, agent: 'Agent_1'}), code: 'NOTHING_READY'},
    },
    update_task: {
      happy: {args: () => ({...one, note: 'half way'}), prepare: task, check: (out) => expect(out.task.notes).toEqual([expect.objectContaining({text: 'half way'})])},
      failure: {args: () => ({session: 'api', id: 'T-9', note: 'x'}), code: 'NOT_FOUND'},
    },
    complete_task: {
      happy: {args: () => ({...one, result: 'parsed'}), prepare: claimed, check: (out) => expect(out.task).toMatchObject({status: 'done', result: 'parsed'})},
      failure: {args: () => ({...one, result: 'again'}), prepare: done, code: 'CONFLICT'},
    },
    release_task: {
      happy: {args: () => one, prepare: claimed, check: (out) => expect(out.task).toMatchObject({status: 'open', claimedBy: null})},
      failure: {args: () => one, prepare: task, code: 'CONFLICT'},
    },
    reopen_task: {
      happy: {args: () => one, prepare: done, check: (out) => expect(out.task).toMatchObject({status: 'open', result: null})},
      failure: {args: () => one, prepare: task, code: 'CONFLICT'},
    },
    cancel_task: {
      happy: {args: () => one, prepare: task, check: (out) => expect(out.task.status).toBe('cancelled')},
      failure: {args: () => ({session: 'api', id: 'T-9'}), code: 'NOT_FOUND'},
    },
    assign_task: {
      happy: {
        args: () => ({...one, agent: 'Agent_1'}),
        prepare: task,
        check: (out, h) => {
          expect(out).toMatchObject({task: {claimedBy: 'Agent_1'}, delivery: 'sent'})
          expect(h.backend.tabOf(AGENT)?.typed[0]?.text).toContain('Task T-1 of session api is assigned to you')
        },
      },
      failure: {args: () => ({...one, agent: 'Agent_9'}), prepare: task, code: 'NOT_FOUND'},
    },
  }
}

let h: McpHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('MCP tools over the in-memory transport', () => {
  it('has a happy and a failure case for every tool the server lists', async () => {
    h = await connectInMemory()
    const {tools} = await h.client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(cases).sort())
  })

  for (const [tool, {happy, failure}] of Object.entries(cases)) {
    it(`${tool}: happy path returns structuredContent (validated by the client) and the same JSON as text`, async () => {
      h = await connectInMemory()
      await seed(h)
      await happy.prepare?.(h)
      const result = await h.call(tool, happy.args(h))
      expect(result.isError, textOf(result)).toBeFalsy()
      expect(JSON.parse(textOf(result))).toEqual(result.structuredContent)
      await happy.check(result.structuredContent as Structured, h)
    })

    it(`${tool}: failure comes back as isError with code ${failure.code}`, async () => {
      h = await connectInMemory()
      await seed(h)
      await failure.prepare?.(h)
      const result = await h.call(tool, failure.args(h))
      if (tool === 'doctor') {
        // A failed check is data, not an error: ok=false and the check names the code.
        expect(result.structuredContent).toMatchObject({ok: false, checks: expect.arrayContaining([expect.objectContaining({name: 'config', status: 'fail', code: failure.code})])})
        return
      }
      expect(result.isError).toBe(true)
      expect(result.structuredContent).toBeUndefined()
      expect(textOf(result)).toMatch(new RegExp(`^${failure.code}: .+`))
      expect(textOf(result)).toMatch(/\nHint: .+/)
      expect(result._meta?.['ccmcp/error']).toMatchObject({code: failure.code, exitCode: EXIT_CODES[failure.code]})
    })
  }
})

describe('MCP tool definitions come from the registry', () => {
  it('lists the eight seed tools and the rest of the registry, never CLI-only operations', async () => {
    h = await connectInMemory()
    const names = (await h.client.listTools()).tools.map((tool) => tool.name)
    for (const seedTool of ['create_agent', 'delete_agent', 'create_session', 'get_session_status', 'delete_session', 'send_message_to_agent', 'clear_agent_conversation', 'start_new_agent_conversation']) {
      expect(names).toContain(seedTool)
    }
    expect(names).toEqual(mcpOperations().map((operation) => operation.name))
    expect(names).not.toContain('set_config')
    expect(names).not.toContain('install_claude_desktop')
  })

  it('gives each tool a title, a description, described input fields, an output schema and honest annotations', async () => {
    h = await connectInMemory()
    const byName = new Map(mcpOperations().map((operation) => [operation.name, operation]))
    for (const tool of (await h.client.listTools()).tools) {
      const operation = byName.get(tool.name)
      expect(operation, tool.name).toBeDefined()
      expect(tool.title).toBe(operation?.title)
      expect(tool.description?.length, tool.name).toBeGreaterThan(20)
      expect(tool.inputSchema.type).toBe('object')
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((schema as {description?: string}).description, `${tool.name}.${field}`).toBeTruthy()
      }
      expect(tool.outputSchema?.type).toBe('object')
      expect(tool.annotations).toEqual({
        title: operation?.title,
        readOnlyHint: operation?.annotations.readOnly,
        destructiveHint: operation?.annotations.destructive,
        idempotentHint: operation?.annotations.idempotent,
        openWorldHint: false,
      })
      expect(tool._meta?.['ccmcp/level']).toBe(operation?.level)
    }
  })

  it('reports invalid input with the CLI code and the field that is wrong', async () => {
    h = await connectInMemory()
    const result = await h.call('create_session', {name: 'bad name!', root: h.root})
    expect(result.isError).toBe(true)
    expect(textOf(result)).toMatch(/^INVALID_INPUT: Invalid input for create_session: name: must be 1–64 characters/)
    const missing = await h.call('get_session_status', {})
    expect(textOf(missing)).toMatch(/^INVALID_INPUT: .*name/)
  })

  it('answers an unknown or CLI-only tool with a protocol error, and keeps serving', async () => {
    h = await connectInMemory()
    await expect(h.call('set_config', {key: 'maxAgents', value: '99'})).rejects.toThrow(/-32602.*Unknown tool: set_config/)
    await expect(h.call('no_such_tool')).rejects.toThrow(/Unknown tool/)
    expect((await h.call('list_sessions')).isError).toBeFalsy()
  })

  it('turns a backend failure into an isError result and keeps serving', async () => {
    h = await connectInMemory()
    await h.core.run('create_session', {name: 'api', root: h.root})
    h.backend.failOpen = new Error('tmux exploded')
    const failed = await h.call('create_agent', {session: 'api', command: 'sh'})
    expect(failed.isError).toBe(true)
    expect(textOf(failed)).toMatch(/^UNEXPECTED: tmux exploded/)
    expect(h.logged.join('')).toContain('tool create_agent failed UNEXPECTED')
    h.backend.failOpen = null
    expect((await h.call('create_agent', {session: 'api', command: 'sh'})).isError).toBeFalsy()
  })

  it('logs each call to stderr and serve.log, never message contents', async () => {
    h = await connectInMemory()
    await seed(h)
    await h.call('send_message_to_agent', {agent: AGENT, message: 'secret plan'})
    const {readFile} = await import('node:fs/promises')
    const file = await readFile(path.join(h.home, 'logs', 'serve.log'), 'utf8')
    expect(file).toMatch(/info tool send_message_to_agent ok in \d+ ms/)
    expect(file + h.logged.join('')).not.toContain('secret plan')
  })
})
