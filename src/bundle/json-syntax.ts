/**
 * Where JSON text first breaks, for a text `JSON.parse` refused: V8's message names neither line nor column (and
 * quotes the text), so this walks the text once, without recursion, to the first offending character.
 */

/** The first syntax problem: its 0-based offset and what is wrong, in words. */
export interface JsonSyntaxProblem {
  offset: number
  problem: string
}

const WHITESPACE = new Set([32, 9, 10, 13])

/** The first syntax problem of `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  // Containers open at this point: `{` or `[`. `expect` says what may come next.
  const stack: number[] = []
  let expect: 'value' | 'key' | 'colon' | 'comma-or-close' | 'first-value-or-close' | 'first-key-or-close' | 'end' = 'value'
  let offset = 0
  const at = (problem: string): JsonSyntaxProblem => ({ offset, problem })
  while (offset < text.length) {
    const code = text.charCodeAt(offset)
    if (WHITESPACE.has(code) || (offset === 0 && code === 0xfeff)) {
      offset++
      continue
    }
    const character = text[offset]
    switch (expect) {
      case 'end':
        return at(`unexpected \`${character}\` after the end of the document`)
      case 'colon':
        if (code !== 58) return at(`expected \`:\` after the key, found \`${character}\``)
        expect = 'value'
        offset++
        continue
      case 'comma-or-close': {
        const container = stack[stack.length - 1]
        if (code === 44) {
          expect = container === 123 ? 'key' : 'value'
          offset++
          continue
        }
        if ((container === 123 && code === 125) || (container === 91 && code === 93)) {
          stack.pop()
          expect = stack.length === 0 ? 'end' : 'comma-or-close'
          offset++
          continue
        }
        return at(`expected \`,\` or \`${container === 123 ? '}' : ']'}\`, found \`${character}\``)
      }
      case 'first-key-or-close':
      case 'key':
        if (code === 125 && expect === 'first-key-or-close') {
          stack.pop()
          expect = stack.length === 0 ? 'end' : 'comma-or-close'
          offset++
          continue
        }
        if (code !== 34) return at(`expected a key in double quotes, found \`${character}\``)
        offset = skipString(text, offset)
        if (offset < 0) return { offset: -offset - 1, problem: 'a string is not closed, or holds an unescaped control character' }
        expect = 'colon'
        continue
      case 'first-value-or-close':
      case 'value': {
        if (code === 93 && expect === 'first-value-or-close') {
          stack.pop()
          expect = stack.length === 0 ? 'end' : 'comma-or-close'
          offset++
          continue
        }
        if (code === 123 || code === 91) {
          stack.push(code)
          expect = code === 123 ? 'first-key-or-close' : 'first-value-or-close'
          offset++
          continue
        }
        const end = code === 34 ? skipString(text, offset) : skipLiteral(text, offset)
        if (end < 0)
          return {
            offset: -end - 1,
            problem: code === 34 ? 'a string is not closed, or holds an unescaped control character' : `\`${character}\` does not start a value`
          }
        offset = end
        expect = stack.length === 0 ? 'end' : 'comma-or-close'
        continue
      }
    }
  }
  return expect === 'end' ? undefined : { offset: text.length, problem: 'the document ends before it is complete (a bracket, brace or value is missing)' }
}

/** Offset after the string starting at `start`, or `-(bad offset) - 1`. */
function skipString(text: string, start: number): number {
  for (let offset = start + 1; offset < text.length; offset++) {
    const code = text.charCodeAt(offset)
    if (code === 34) return offset + 1
    if (code === 92) offset++
    else if (code < 32) return -offset - 1
  }
  return -start - 1
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** Offset after the number or `true` / `false` / `null` at `start`, or `-start - 1`. */
function skipLiteral(text: string, start: number): number {
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, start)) return start + word.length
  }
  NUMBER.lastIndex = start
  return NUMBER.test(text) && NUMBER.lastIndex > start ? NUMBER.lastIndex : -start - 1
}
