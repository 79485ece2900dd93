/**
 * The confinement rule the PermissionRequest hook applies in a sandboxed session: what reaches
 * outside the agent's own directories is denied before anyone is asked, whichever way a tool
 * names the path (absolute, relative, `~`, `..`, inside a shell command), and what stays inside
 * is left to a person.
 */
import {describe, expect, it} from 'vitest'

import {Agent, type Session} from '../../src/core/domain/state.js'
import {confinementScope, outsideRoot} from '../../src/core/answer/confinement-rule.js'

const session = (patch: Partial<Session> = {}): Session => ({name: 'a', root: '/src/a', backend: 'tmux', createdAt: '', nextAgentNumber: 1, ...patch}) as Session
const state = {sessions: [session(), session({name: 'b', root: '/src/b'}), session({name: 'nested', root: '/src/a/vendor/b'})]}
const hidden = ['/home/me/.ccmcp', '/home/me/.claude/projects', '/home/me/.claude/sessions']
const scope = confinementScope(state, session(), undefined, hidden, 'linux')!
const where = {cwd: '/src/a', home: '/home/me'}
const check = (tool: string, input: Record<string, unknown>) => outsideRoot(tool, input, scope, where)?.path ?? null

describe('outsideRoot', () => {
  it('file tools: inside the root is left to a person; outside, hidden or another root is denied', () => {
    expect(check('Write', {file_path: '/src/a/notes.md', content: 'x'})).toBeNull()
    expect(check('Edit', {file_path: 'src/x.ts'})).toBeNull()
    expect(check('Write', {file_path: '/src/b/f'})).toBe('/src/b/f')
    expect(check('Write', {file_path: '../b/f'})).toBe('/src/b/f')
    expect(check('Write', {file_path: '/src/a/../b/f'})).toBe('/src/b/f')
    expect(check('Write', {file_path: '/src/ab'})).toBe('/src/ab')
    expect(check('Read', {file_path: '~/.ssh/id_ed25519'})).toBe('/home/me/.ssh/id_ed25519')
    expect(check('Read', {file_path: '/home/me/.claude/projects/x/t.jsonl'})).toBe('/home/me/.claude/projects/x/t.jsonl')
    // Another session's root inside this one is that session's.
    expect(check('Write', {file_path: '/src/a/vendor/b/x'})).toBe('/src/a/vendor/b/x')
    expect(check('NotebookEdit', {notebook_path: '/etc/passwd'})).toBe('/etc/passwd')
    expect(check('Grep', {pattern: 'secret', path: '/src/b'})).toBe('/src/b')
    expect(check('Glob', {pattern: '**/*'})).toBeNull()
  })

  it('the agent worktree and the session allowWrite count as its own; allowRead only for reading', () => {
    const wide = confinementScope(state, session({sandbox: {enabled: true, allowRead: ['/data'], allowWrite: ['/cache'], allowDomains: []}}), {worktree: {path: '/wt/a/Agent_1'} as Agent['worktree']}, hidden, 'linux')!
    const wideCheck = (tool: string, input: Record<string, unknown>) => outsideRoot(tool, input, wide, where)?.path ?? null
    expect(wideCheck('Write', {file_path: '/wt/a/Agent_1/x'})).toBeNull()
    expect(wideCheck('Write', {file_path: '/cache/x'})).toBeNull()
    expect(wideCheck('Read', {file_path: '/data/x'})).toBeNull()
    expect(wideCheck('Write', {file_path: '/data/x'})).toBe('/data/x')
  })

  it('Bash: a path the command names outside the root and the system directories is denied; names it cannot see are left to a person', () => {
    expect(check('Bash', {command: 'npm test'})).toBeNull()
    expect(check('Bash', {command: 'ls /usr/bin 2>/dev/null && cat ./README.md'})).toBeNull()
    expect(check('Bash', {command: 'cat /src/b/secret.txt'})).toBe('/src/b/secret.txt')
    expect(check('Bash', {command: `python3 -c "print(open('/src/b/secret.txt').read())"`})).toBe('/src/b/secret.txt')
    expect(check('Bash', {command: 'cd ../b && cat secret.txt'})).toBe('/src/b')
    expect(check('Bash', {command: 'echo x >~/f'})).toBe('/home/me/f')
    expect(check('Bash', {command: 'cp x /home/me/.ccmcp/state.json'})).toBe('/home/me/.ccmcp/state.json')
  })

  it('an unsandboxed session has no scope: nothing is denied for being outside', () => {
    expect(confinementScope(state, session({sandbox: {enabled: false, allowRead: [], allowWrite: [], allowDomains: []}}), undefined, hidden)).toBeNull()
  })

  it('tells the model why, in one sanitized line', () => {
    const denied = outsideRoot('Write', {file_path: '/src/b/\u001b[2Jx\ny'}, scope, where)
    expect(denied?.message).toMatch(/^Denied: \/src\/b\/ x y is outside this agent's session root \(\/src\/a\)/)
  })
})
