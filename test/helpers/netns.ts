/**
 * A network namespace of the test's own, joined to this one by a veth pair: a "host" at its own
 * address (198.18.0.0/15, the range set aside for network tests) that a test can cut off and
 * reconnect while everything in it keeps running. Needs root (CAP_NET_ADMIN); `netnsUnavailable`
 * says why not before a test relies on it. Traffic goes only to the namespace: a blackhole route
 * for its subnet keeps packets from leaving by the default route while the link is down.
 */
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

const run = promisify(execFile)

export interface TestNetns {
  name: string
  /** The namespace's own address (its sshd listens there). */
  address: string
  /** argv prefix that runs a program inside the namespace. */
  exec: string[]
  /** The host vanishes from the network: packets to it are dropped, nothing is refused. */
  cut(): Promise<void>
  reconnect(): Promise<void>
  cleanup(): Promise<void>
}

const ip = (...args: string[]) => run('ip', args)

/** Why namespaces cannot be made here, or null when they can (probed by making and removing one). */
export async function netnsUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return `network namespaces are Linux-only (this is ${process.platform})`
  const probe = `ccprobe${process.pid}`
  try {
    await ip('netns', 'add', probe)
    await ip('netns', 'del', probe)
    return null
  } catch (error) {
    const reason = (error as {stderr?: string; message: string}).stderr?.trim() || (error as Error).message
    return `cannot create a network namespace (needs root or CAP_NET_ADMIN, and iproute2's ip): ${reason.split('\n')[0]}`
  }
}

/** Namespace number `index` of this process: names and subnets unique per pid, /30 each. */
export async function createNetns(index: number): Promise<TestNetns> {
  const tag = `${process.pid % 100_000}${String.fromCharCode(97 + index)}`
  const name = `ccmcp${tag}`
  const outside = `cco${tag}`
  const inside = `cci${tag}`
  const slot = (process.pid % 1000) * 4 + index
  const base = `198.${18 + (slot >> 14)}.${(slot >> 6) & 0xff}.${(slot & 0x3f) * 4}`
  const [a, b, c, d] = base.split('.').map(Number) as [number, number, number, number]
  const near = `${a}.${b}.${c}.${d + 1}`
  const far = `${a}.${b}.${c}.${d + 2}`
  const inNs = (...args: string[]) => ip('netns', 'exec', name, 'ip', ...args)
  await ip('netns', 'add', name)
  const netns: TestNetns = {
    name,
    address: far,
    exec: ['ip', 'netns', 'exec', name],
    cut: async () => void (await inNs('link', 'set', inside, 'down')),
    reconnect: async () => void (await inNs('link', 'set', inside, 'up')),
    async cleanup() {
      await ip('route', 'del', 'blackhole', `${base}/30`).catch(() => undefined)
      await ip('link', 'del', outside).catch(() => undefined)
      await ip('netns', 'del', name).catch(() => undefined)
    },
  }
  try {
    await ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside)
    await ip('link', 'set', inside, 'netns', name)
    await ip('addr', 'add', `${near}/30`, 'dev', outside)
    await ip('link', 'set', outside, 'up')
    await ip('route', 'add', 'blackhole', `${base}/30`, 'metric', '4000')
    await inNs('addr', 'add', `${far}/30`, 'dev', inside)
    await inNs('link', 'set', 'lo', 'up')
    await inNs('link', 'set', inside, 'up')
  } catch (error) {
    await netns.cleanup()
    throw error
  }
  return netns
}
