/** An answer is read up to a bound: a server that sends more fails the request like a broken connection, it never fills memory. */
import { createServer, get, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readText } from '../src/genesys/http-transport.js'

let server: Server

afterEach(async () => {
  await new Promise(resolve => server.close(resolve))
})

/** A server that answers `chunks` chunks of 1 KiB, and the answer as node:http gives it. */
async function answerOf(chunks: number): Promise<IncomingMessage> {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    for (let index = 0; index < chunks; index++) response.write('x'.repeat(1024))
    response.end()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return new Promise(resolve => get(`http://127.0.0.1:${port}/`, resolve))
}

describe('readText', () => {
  it('reads an answer within the bound whole', async () => {
    expect(await readText(await answerOf(4), 4 * 1024)).toHaveLength(4 * 1024)
  })

  it('stops reading an answer past the bound, with an error that says so', async () => {
    await expect(readText(await answerOf(64), 4 * 1024)).rejects.toThrow(/the answer passed 4 KiB, far more than any Genesys Cloud answer/)
  })
})
