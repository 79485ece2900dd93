/** Per-run overrides of the config limits; bounds and meaning come from the config schema. */
import {Config} from '../core/domain/config.js'
import {flagFrom} from './schema-flags.js'

export const limitFlags = {
  'max-agents': flagFrom(Config, 'maxAgents', {default: null, description: `${Config.shape.maxAgents.description} (default: config maxAgents)`}),
  'max-sessions': flagFrom(Config, 'maxSessions', {default: null, description: `${Config.shape.maxSessions.description} (default: config maxSessions)`}),
}
