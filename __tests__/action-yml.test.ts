/**
 * action.yml as the runner reads it: strict YAML 1.2, the metadata GitHub documents ("Metadata syntax for GitHub
 * Actions"), and exactly the inputs and outputs the code knows, with the defaults the settings apply.
 */
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { Inputs, Outputs } from '../src/constants.js'
import { DEFAULTS } from '../src/settings.js'
import { ACTION_YML, inputVariable, inputsWithDefaults, readActionMetadata } from '../simulator/run-action.js'

const text = readFileSync(ACTION_YML, 'utf8')
const metadata = readActionMetadata()

/** Feather icons and badge colours GitHub Marketplace accepts for `branding` (a sample of the icons). */
const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']

describe('action.yml', () => {
  it('parses under a strict YAML 1.2 parser with no warning', () => {
    const document = parseDocument(text, { strict: true, uniqueKeys: true, version: '1.2' })
    expect(document.errors.map(error => error.message)).toEqual([])
    expect(document.warnings.map(warning => warning.message)).toEqual([])
  })

  it('holds only the top-level keys GitHub documents, with name, description and runs', () => {
    const document = parseDocument(text).toJS() as Record<string, unknown>
    const allowed = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']
    expect(Object.keys(document).filter(key => !allowed.includes(key))).toEqual([])
    expect(typeof document.name).toBe('string')
    expect(typeof document.description).toBe('string')
    const branding = document.branding as { color?: string; icon?: string } | undefined
    if (branding?.color !== undefined) expect(BRANDING_COLORS).toContain(branding.color)
  })

  it('runs dist/index.js on node24, with a post step that always runs', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js', 'post-if': 'always()' })
  })

  it('declares exactly the inputs of src/constants.ts, each with a description and a boolean `required`', () => {
    expect(Object.keys(metadata.inputs).sort()).toEqual(Object.values(Inputs).sort())
    for (const [name, input] of Object.entries(metadata.inputs)) {
      expect(name).toMatch(/^[_a-zA-Z][a-zA-Z0-9_-]*$/)
      expect(typeof input.description).toBe('string')
      expect(input.description?.trim().length).toBeGreaterThan(10)
      expect(typeof input.required).toBe('boolean')
      if (input.default !== undefined) expect(typeof input.default).toBe('string')
    }
    expect(metadata.inputs[Inputs.Bundle].required).toBe(true)
  })

  it('declares exactly the outputs of src/constants.ts, each with a description', () => {
    expect(Object.keys(metadata.outputs).sort()).toEqual(Object.values(Outputs).sort())
    for (const output of Object.values(metadata.outputs)) expect(output.description?.trim().length).toBeGreaterThan(10)
  })

  it('has the defaults the settings apply, and the job token for github-token', () => {
    const declared = Object.fromEntries(
      Object.entries(metadata.inputs).flatMap(([name, input]) => (input.default === undefined ? [] : [[name, input.default]]))
    )
    const { [Inputs.GithubToken]: tokenDefault, ...rest } = declared
    expect(tokenDefault).toBe('${{ github.token }}')
    expect(rest).toEqual(DEFAULTS)
  })
})

describe('runner emulation', () => {
  it('passes action.yml defaults as INPUT_* variables, the workflow overriding them', () => {
    const inputs = inputsWithDefaults(metadata, { inputs: { bundle: 'b.yaml', api: 'architect' }, githubToken: 'ghs_token' })
    expect(inputs).toMatchObject({ bundle: 'b.yaml', api: 'architect', mode: 'auto', 'github-token': 'ghs_token', 'max-parallel-jobs': '4' })
    expect(inputVariable('max-parallel-jobs')).toBe('INPUT_MAX-PARALLEL-JOBS')
  })
})
