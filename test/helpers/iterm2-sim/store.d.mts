import type {SimState} from './model.mjs'

export function loadState(dir: string): SimState
export function withState<T>(dir: string, fn: (state: SimState) => T): T
