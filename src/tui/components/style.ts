/** Colour only when allowed (NO_COLOR): components spread these props instead of setting `color`. */
import type {StatusColor} from '../../present/status.js'
import type {DetailTone} from '../display.js'
import type {Tone} from '../types.js'

export type ColorName = StatusColor | 'blue'

export const tint = (enabled: boolean, color: ColorName | undefined): {color?: ColorName} => (enabled && color ? {color} : {})

export const TONE_COLOR: Record<Tone, ColorName | undefined> = {info: 'blue', success: 'green', error: 'red', pending: 'yellow'}

export const DETAIL_COLOR: Record<DetailTone, ColorName | undefined> = {waiting: 'magenta', error: 'red', reply: undefined, plain: undefined}
