/** Character codes the fast readers (plain-yaml*.ts, json-scan.ts) compare with `charCodeAt`: one set for all of them. */
export const TAB = 9
export const NEWLINE = 10
export const SPACE = 32
export const QUOTE = 34
export const HASH = 35
export const COMMA = 44
export const DASH = 45
export const ZERO = 48
export const NINE = 57
export const COLON = 58
export const OPEN_SQUARE = 91
export const BACKSLASH = 92
export const CLOSE_SQUARE = 93
export const OPEN_CURLY = 123
export const CLOSE_CURLY = 125
