/**
 * JXA's shapes over the simulated iTerm2 (iterm2.md §12B): an object specifier is a lazy path
 * (`windows.byId(7).tabs[1].sessions.byId(G)`) resolved at each Apple event, so a vanished object
 * fails with -1728 when used, not when named. Element arrays are callable, indexable, have
 * .length and .byId(); a property read on an element array maps over it, so
 * `w.tabs.sessions.id()` is a [tab][pane] matrix in one event. Members outside the dictionary
 * do not exist: a typo fails here as it would on a Mac.
 */
import {jxaError} from './errors.mjs'

// The sdef terminology the simulator knows, as JXA names (r: read-only, rw: settable).
export const SCHEMA = {
  app: {elements: {windows: 'window'}, props: {version: 'r', name: 'r', frontmost: 'r'}, refs: {currentWindow: 'window'}, commands: ['activate', 'createWindowWithDefaultProfile', 'variable', 'setVariable']},
  window: {
    elements: {tabs: 'tab'},
    props: {id: 'r', index: 'r', name: 'r', miniaturized: 'rw', isHotkeyWindow: 'r'},
    refs: {currentTab: 'tab', currentSession: 'session'},
    commands: ['select', 'close', 'createTabWithDefaultProfile'],
  },
  tab: {elements: {sessions: 'session'}, props: {index: 'r'}, refs: {currentSession: 'session'}, commands: ['select', 'close']},
  session: {
    elements: {},
    props: {id: 'r', uniqueID: 'r', name: 'rw', tty: 'r', text: 'r', contents: 'r', rows: 'rw', columns: 'rw', isProcessing: 'r', isAtShellPrompt: 'r', profileName: 'r'},
    refs: {},
    commands: ['write', 'select', 'close', 'variable', 'setVariable'],
  },
}

export function makeSpecifier(sim, kind, steps, isCollection) {
  const schema = SCHEMA[kind]
  const proxy = new Proxy(function () {}, {
    apply: () => {
      sim.event()
      if (!isCollection) return makeSpecifier(sim, kind, resolveOne(sim.state, steps).canon, false)
      return mapLeaves(resolve(sim.state, steps), (leaf) => makeSpecifier(sim, kind, leaf.canon, false))
    },
    get: (_target, key) => {
      if (typeof key === 'symbol') return undefined
      if (kind === 'app' && key === 'running') return () => sim.state.running
      if (kind === 'app' && key === 'launch') return () => sim.launch()
      if (isCollection) {
        if (/^\d+$/.test(key)) return makeSpecifier(sim, kind, withLast(steps, {by: 'index', key: Number(key)}), false)
        if (key === 'byId') return (id) => makeSpecifier(sim, kind, withLast(steps, {by: 'id', key: id}), false)
        if (key === 'length') {
          sim.event()
          return resolve(sim.state, steps).length
        }
      }
      if (Object.hasOwn(schema.elements, key)) return makeSpecifier(sim, schema.elements[key], [...steps, {name: key, all: true}], true)
      if (Object.hasOwn(schema.props, key) || Object.hasOwn(schema.refs, key)) {
        return () => {
          sim.event()
          const value = mapLeaves(resolve(sim.state, steps), (leaf) => sim.read(leaf, key))
          // Some builds may return a nested getter flat (iterm2.md §3, unverified): simulate it.
          return sim.state.flatNestedGetters && steps.filter((step) => step.all).length > 1 ? value.flat(Infinity) : value
        }
      }
      if (!isCollection && schema.commands.includes(key)) {
        return (...args) => {
          sim.event()
          return sim.command(kind === 'app' ? {kind: 'app', canon: []} : resolveOne(sim.state, steps), key, args)
        }
      }
      return undefined
    },
    set: (_target, key, value) => {
      if (isCollection || schema.props[key] !== 'rw') throw new TypeError(`Can't set ${kind}.${String(key)}`)
      sim.event()
      resolveOne(sim.state, steps).obj[key] = value
      return true
    },
  })
  sim.specs.set(proxy, {kind, steps})
  return proxy
}

export function resolve(state, steps) {
  let tree = {kind: 'app', canon: []}
  for (const step of steps) tree = mapLeaves(tree, (leaf) => select(state, leaf, step))
  return tree
}

export function resolveOne(state, steps) {
  const leaf = resolve(state, steps)
  if (Array.isArray(leaf)) throw new TypeError('expected one object, got an element array')
  return leaf
}

function select(state, leaf, step) {
  const items = children(state, leaf, step.name)
  if (step.all) return items
  const item = step.by === 'index' ? items[step.key] : items.find((candidate) => candidate.id === step.key)
  if (!item) throw jxaError(-1728, "Can't get object.")
  return item
}

function children(state, leaf, name) {
  if (leaf.kind === 'app' && name === 'windows') {
    return state.windows.map((win) => ({kind: 'window', obj: win, id: win.id, canon: [{name: 'windows', by: 'id', key: win.id}]}))
  }
  if (leaf.kind === 'window' && name === 'tabs') {
    return leaf.obj.tabs.map((tab, index) => ({kind: 'tab', obj: tab, win: leaf.obj, canon: [...leaf.canon, {name: 'tabs', by: 'index', key: index}]}))
  }
  if (leaf.kind === 'tab' && name === 'sessions') {
    return leaf.obj.sessions.map((guid) => ({kind: 'session', obj: state.sessions[guid], id: guid, tab: leaf.obj, win: leaf.win, canon: [...leaf.canon, {name: 'sessions', by: 'id', key: guid}]}))
  }
  throw new TypeError(`${leaf.kind} has no ${name}`)
}

function withLast(steps, selector) {
  const last = steps[steps.length - 1]
  return [...steps.slice(0, -1), {name: last.name, ...selector}]
}

export function mapLeaves(tree, fn) {
  return Array.isArray(tree) ? tree.map((item) => mapLeaves(item, fn)) : fn(tree)
}
