// Types of bench/home.js for bench/claude-turns.ts.
import type {State} from '../src/core/domain/state.js'

export const BENCH_SECRET: string
export function seedHome(home: string, modules: string, options?: {root?: string; status?: string}): Promise<void>
export function readState(home: string, modules: string): Promise<State>
export function stateReader(home: string, modules: string): Promise<() => Promise<State>>
export function benchEnv<T extends Record<string, string | undefined>>(env: T): T
export function hookEnvFor(home: string): Record<string, string>
