import {afterEach, describe, expect, it} from 'vitest'

import {type McpHarness, connectInMemory, errorCodeOf} from '../helpers/mcp.js'

let mcp: McpHarness | undefined
afterEach(async () => {
  await mcp?.close()
  mcp = undefined
})

describe('remote sessions and clearance', () => {
  it('naming the remote ccmcp command runs a program on the host: HIGH only, refused before ssh runs', async () => {
    mcp = await connectInMemory({clearance: 'MEDIUM'})
    // The harness has no remote hosts: any ssh call would fail the test with a different error.
    const created = await mcp.call('create_session', {name: 'far', root: '/srv/api', host: 'box', remoteCcmcp: 'touch /tmp/x; ccmcp'})
    expect(created.isError).toBe(true)
    expect(errorCodeOf(created)).toBe('FORBIDDEN')
    const doctor = await mcp.call('doctor', {host: 'box', remoteCcmcp: 'sh -c id'})
    expect(errorCodeOf(doctor)).toBe('FORBIDDEN')
    expect((await mcp.deps.ports.state.read()).sessions).toEqual([])
  })

  it('a relative root on the host is refused with the fix', async () => {
    mcp = await connectInMemory({clearance: 'HIGH'})
    const created = await mcp.call('create_session', {name: 'far', root: 'src/api', host: 'box'})
    expect(errorCodeOf(created)).toBe('INVALID_INPUT')
  })
})
