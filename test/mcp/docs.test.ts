/** docs/mcp.md's tool table is checked against the registry, so the README text cannot drift. */
import {readFile} from 'node:fs/promises'
import {describe, expect, it} from 'vitest'

import {mcpOperations} from '../../src/core/pipeline/clearance.js'
import {repoRoot} from '../helpers/cli.js'

describe('docs/mcp.md', () => {
  it('lists every MCP tool with its security level', async () => {
    const text = await readFile(`${repoRoot}docs/mcp.md`, 'utf8')
    const rows = [...text.matchAll(/^\| `([a-z_]+)` \| (LOW|MEDIUM|HIGH) \|/gm)].map((match) => [match[1], match[2]])
    const registry = mcpOperations().map((operation) => [operation.name, operation.level])
    expect(rows.sort()).toEqual(registry.sort())
  })
})
