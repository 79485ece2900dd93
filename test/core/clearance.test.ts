/** Security levels: the policy, and the registry invariant it relies on (LOW means read-only). */
import {describe, expect, it} from 'vitest'

import {assertCleared, isCleared, mcpOperations} from '../../src/core/pipeline/clearance.js'
import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {operations} from '../../src/core/pipeline/registry.js'
import type {Operation} from '../../src/core/pipeline/operation.js'

const all = Object.values(operations) as Operation[]

describe('clearance', () => {
  it('runs an operation at or below the level, never above', () => {
    expect(isCleared({level: 'LOW'}, 'LOW')).toBe(true)
    expect(isCleared({level: 'MEDIUM'}, 'LOW')).toBe(false)
    expect(isCleared({level: 'MEDIUM'}, 'HIGH')).toBe(true)
    expect(isCleared({level: 'HIGH'}, 'MEDIUM')).toBe(false)
    expect(() => assertCleared({name: 'delete_agent', level: 'HIGH'}, 'MEDIUM')).toThrow(expect.objectContaining({code: 'FORBIDDEN', exitCode: EXIT_CODES.FORBIDDEN}))
  })

  it('every LOW operation is read-only, so --security-level LOW can change nothing', () => {
    for (const operation of all.filter((candidate) => candidate.level === 'LOW')) expect(operation.annotations.readOnly, operation.name).toBe(true)
  })

  it('every read-only operation is idempotent and not destructive', () => {
    for (const operation of all.filter((candidate) => candidate.annotations.readOnly)) {
      expect([operation.annotations.idempotent, operation.annotations.destructive], operation.name).toEqual([true, false])
    }
  })

  it('operations that rewrite client config or ccmcp settings are not offered over MCP', () => {
    const offered = mcpOperations().map((operation) => operation.name)
    for (const name of ['get_config', 'set_config', 'install_claude_desktop', 'install_claude_code']) expect(offered).not.toContain(name)
    expect(offered).toContain('doctor')
  })

  it('every tool name is a valid MCP tool name', () => {
    for (const operation of all) expect(operation.name).toMatch(/^[A-Za-z0-9_.-]{1,128}$/)
  })
})
