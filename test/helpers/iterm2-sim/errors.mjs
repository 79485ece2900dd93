/** An Apple event error as JXA throws it: an Error with errorNumber. */
export function jxaError(number, message) {
  return Object.assign(new Error(message), {errorNumber: number})
}
