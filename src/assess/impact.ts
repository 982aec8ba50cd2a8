import type { RiskLevel } from '../constants.js'

/** A resource that uses a flow (architect dependency tracking). */
export interface Consumer {
  id: string
  name: string
  type: string
}

/** Use of one capacity limit. */
export interface CapacityUse {
  /** What is counted (`flows`, `queues`, `environment flow slots`). */
  resource: string
  used: number
  limit: number
  /** used / limit × 100, one decimal. */
  percent: number
}

/** Impact and risk of the change. The output `impact` is this object as JSON. */
export interface Impact {
  riskLevel: RiskLevel
  /** Why the risk is what it is, most serious first, each naming the change ("removes flow after-hours"). */
  reasons: string[]
  /** Removed flows and queues, as `flows.after-hours`. */
  criticalRemovals: string[]
  /** Platform warnings. */
  warningCount: number
  /** Platform compatibility check result; null when the platform was not asked. */
  compatibilityPassed: boolean | null
  /** Highest capacity use in percent; null when nothing sets a limit. */
  capacityUtilization: number | null
  capacity: CapacityUse[]
  /** Consumers of each changed or removed flow (architect API), by flow name. */
  consumers?: Record<string, Consumer[]>
}
