/** The two files ccmcp keeps in its home: state.json (sessions, agents) and config.json. */
import {Config, defaultConfig} from '../config.js'
import {State, emptyState, migrateState} from '../domain.js'
import type {Logger, Store} from '../ports.js'
import {createJsonStore} from './json-store.js'

export function createStateStore(home: string, logger?: Logger): Store<State> {
  return createJsonStore({dir: home, name: 'state', schema: State, empty: emptyState, migrate: migrateState, logger})
}

export function createConfigStore(home: string, logger?: Logger): Store<Config> {
  return createJsonStore({dir: home, name: 'config', schema: Config, empty: defaultConfig, logger})
}
