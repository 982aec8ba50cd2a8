/**
 * The functions a V8 CPU profile (`node --cpu-prof`) spent the most self time in: what to look at first when a
 * benchmark misses its goal.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/index.js   # or any script
 *   npx tsx bench/cpu-profile-top.ts /tmp/prof/CPU.*.cpuprofile [count]
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { isEntryPoint } from './standalone.js'

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  samples: number[]
  timeDeltas: number[]
}

/** One function's share of the samples. */
export interface SelfTime {
  /** `name (file:line)`. */
  location: string
  selfMs: number
  percent: number
}

/** Self time per function (summed over its call sites), most first. Pure. */
export function topSelfTime(profile: CpuProfile, count = 15): SelfTime[] {
  const locationOf = new Map<number, string>()
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame
    const file = url ? `${basename(url)}:${lineNumber + 1}` : 'native'
    locationOf.set(node.id, `${functionName || '(anonymous)'} (${file})`)
  }
  const microseconds = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, index) => {
    // timeDeltas[i] is the time before sample i; it is the best estimate of the time that sample stands for.
    const delta = profile.timeDeltas[index] ?? 0
    const location = locationOf.get(id) ?? `node ${id}`
    microseconds.set(location, (microseconds.get(location) ?? 0) + delta)
    total += delta
  })
  return [...microseconds]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([location, us]) => ({ location, selfMs: us / 1000, percent: total > 0 ? (100 * us) / total : 0 }))
}

if (isEntryPoint(import.meta.url)) {
  const [file, count] = process.argv.slice(2)
  if (file === undefined) {
    console.error('Name a .cpuprofile file: npx tsx bench/cpu-profile-top.ts /tmp/prof/CPU.….cpuprofile [count]')
    process.exitCode = 1
  } else {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
    for (const entry of topSelfTime(profile, count ? Number(count) : undefined)) {
      console.log(`${entry.selfMs.toFixed(1).padStart(9)} ms  ${entry.percent.toFixed(1).padStart(5)} %  ${entry.location}`)
    }
  }
}
