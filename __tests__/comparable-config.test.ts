import { describe, expect, it } from '@jest/globals'
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { comparableConfig } from '../src/assess/comparable-config.js'
import { computeDiff } from '../src/assess/diff.js'
import type { Bundle } from '../src/bundle/bundle.js'
import { loadBundle } from '../src/bundle/loader.js'

/** The bundle in the shape the diff compares, per API, loaded from real files by the real loader. */

const MANIFEST = `bundleId: ivr
environmentId: prod-1
targetConfig:
  flows:
    after-hours: { file: flows/after-hours.yaml }
    main-entry: { version: 2.1.0, routingStrategy: longest-idle }
  queues:
    sales: { serviceLevel: "80/20" }
substitutions:
  company: Acme Insurance
  retries: 3
`

const AFTER_HOURS = `inboundCall:
  name: After Hours
  description: Closed message for {{company}}
  initialGreeting:
    tts: Thank you for calling {{company}}. We are closed.
  settingsMenu:
    menuMaxRetries: {{retries}}
  note: {{company}}
`

async function loadFixture(afterHours = AFTER_HOURS): Promise<Bundle> {
  const workspace = await mkdtemp(join(tmpdir(), 'comparable-'))
  await mkdir(join(workspace, 'flows'))
  await writeFile(join(workspace, 'bundle.yaml'), MANIFEST)
  await writeFile(join(workspace, 'flows', 'after-hours.yaml'), afterHours)
  const loaded = await loadBundle('bundle.yaml', { workspace })
  if (!loaded.bundle) throw new Error(JSON.stringify(loaded.findings))
  return loaded.bundle
}

describe('comparableConfig', () => {
  it('is targetConfig itself for architecture-manager', async () => {
    const bundle = await loadFixture()
    expect(comparableConfig(bundle, 'architecture-manager')).toBe(bundle.manifest.targetConfig)
  })

  it('turns flows with a file into their substituted Archy document for architect, leaving the rest as written', async () => {
    const bundle = await loadFixture()
    expect(comparableConfig(bundle, 'architect')).toEqual({
      flows: {
        'after-hours': {
          inboundCall: {
            name: 'After Hours',
            description: 'Closed message for Acme Insurance',
            initialGreeting: { tts: 'Thank you for calling Acme Insurance. We are closed.' },
            settingsMenu: { menuMaxRetries: 3 },
            // Filled as text before parsing, so an unquoted placeholder is a plain scalar (an undefined one is a
            // loader error now, so it never reaches this point).
            note: 'Acme Insurance'
          }
        },
        'main-entry': { version: '2.1.0', routingStrategy: 'longest-idle' }
      },
      queues: { sales: { serviceLevel: '80/20' } }
    })
    // The manifest is not changed in place.
    expect(bundle.manifest.targetConfig.flows?.['after-hours']).toEqual({ file: 'flows/after-hours.yaml' })
  })

  it('gives diff paths inside the flow, against a live baseline of the same shape', async () => {
    const bundle = await loadFixture()
    const live = comparableConfig(await loadFixture(AFTER_HOURS.replace('We are closed.', 'Our offices are closed.')), 'architect')
    const diff = computeDiff(live, comparableConfig(bundle, 'architect'))
    expect(diff.modified).toEqual(['flows.after-hours.inboundCall.initialGreeting.tts'])
    expect(diff.added).toEqual([])
    expect(diff.removed).toEqual([])
  })

  it('keeps a manifest without flows as it is', async () => {
    const bundle = await loadFixture()
    const withoutFlows: Bundle = { ...bundle, files: [], manifest: { ...bundle.manifest, targetConfig: { queues: { sales: {} } } } }
    expect(comparableConfig(withoutFlows, 'architect')).toEqual({ queues: { sales: {} } })
  })
})
