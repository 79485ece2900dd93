/** The files ccmcp keeps in its home: state.json (sessions, agents), config.json, tasks/<session>.json, messages/<session>.json and tokens.json (HTTP client token digests). */
import {Config, defaultConfig} from '../domain/config.js'
import {State, emptyState, migrateState} from '../domain/state.js'
import {type MessageLog, MessageLog as MessageLogSchema, emptyMessageLog, migrateMessageLog} from '../messages/message-log.js'
import {TaskBoard, emptyBoard, migrateBoard} from '../tasks/board.js'
import type {Logger, Store, StoreCodec} from '../ports.js'
import path from 'node:path'

import {createJsonStore} from './json-store.js'
import {Tokens, emptyTokens} from '../tokens/token-store.js'

/** `codec` changes how the files are kept on disk (plain JSON unless given). */
export interface StoreOptions {
  codec?: StoreCodec
}

export function createStateStore(home: string, logger?: Logger, options: StoreOptions = {}): Store<State> {
  return createJsonStore({dir: home, name: 'state', schema: State, empty: emptyState, migrate: migrateState, logger, codec: options.codec})
}

export function createConfigStore(home: string, logger?: Logger, options: StoreOptions = {}): Store<Config> {
  return createJsonStore({dir: home, name: 'config', schema: Config, empty: defaultConfig, logger, codec: options.codec})
}

/** One session's message history (`session` is a checked Name, so a safe file name). */
export function createMessageStore(home: string, session: string, logger?: Logger, options: StoreOptions = {}): Store<MessageLog> {
  return createJsonStore({dir: path.join(home, 'messages'), name: session, schema: MessageLogSchema, empty: emptyMessageLog, migrate: migrateMessageLog, logger, codec: options.codec})
}

/** A session's task board: `<home>/tasks/<session>.json` (session names are safe file names). */
export function createTaskStore(home: string, session: string, logger?: Logger, options: StoreOptions = {}): Store<TaskBoard> {
  return createJsonStore({dir: path.join(home, 'tasks'), name: session, schema: TaskBoard, empty: emptyBoard, migrate: migrateBoard, logger, codec: options.codec})
}

export function createTokenStore(home: string, logger?: Logger, options: StoreOptions = {}): Store<Tokens> {
  return createJsonStore({dir: home, name: 'tokens', schema: Tokens, empty: emptyTokens, logger, codec: options.codec})
}
