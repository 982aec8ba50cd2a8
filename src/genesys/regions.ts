/**
 * Genesys Cloud regions: the hosts of the official SDK (`purecloud-platform-client-v2`,
 * `PureCloudRegionHosts`, 18 entries as of v262) and the AWS region each one runs in.
 * The input `region` accepts either spelling; everything downstream works with the host.
 */

/** Region host → AWS-style region name, in the SDK's order. */
export const REGION_HOSTS: Readonly<Record<string, string>> = Object.freeze({
  'mypurecloud.com': 'us-east-1',
  'mypurecloud.ie': 'eu-west-1',
  'mypurecloud.com.au': 'ap-southeast-2',
  'mypurecloud.jp': 'ap-northeast-1',
  'mypurecloud.de': 'eu-central-1',
  'usw2.pure.cloud': 'us-west-2',
  'cac1.pure.cloud': 'ca-central-1',
  'apne2.pure.cloud': 'ap-northeast-2',
  'euw2.pure.cloud': 'eu-west-2',
  'aps1.pure.cloud': 'ap-south-1',
  'use2.us-gov-pure.cloud': 'us-east-2',
  'sae1.pure.cloud': 'sa-east-1',
  'mec1.pure.cloud': 'me-central-1',
  'apne3.pure.cloud': 'ap-northeast-3',
  'euc2.pure.cloud': 'eu-central-2',
  'mxc1.pure.cloud': 'mx-central-1',
  'apse1.pure.cloud': 'ap-southeast-1',
  'edee1.eusc-pure.cloud': 'eusc-de-east-1'
})

/** The region hosts, in the SDK's order. */
export const REGION_HOST_LIST: readonly string[] = Object.freeze(Object.keys(REGION_HOSTS))

/** The region used when the input `region` is not set. */
export const DEFAULT_REGION_HOST = 'mypurecloud.com'

const HOST_BY_AWS_NAME: ReadonlyMap<string, string> = new Map(Object.entries(REGION_HOSTS).map(([host, awsName]) => [awsName, host]))

/**
 * People paste what they see in the browser (`https://apps.mypurecloud.ie/`) or in the SDK
 * (`eu_west_1`): reduce any of those to a bare lower-case host or hyphenated AWS name.
 */
function normalizeRegionInput(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/.*$/, '')
    .replace(/^(api|login|apps)\./, '')
    .replace(/_/g, '-')
}

/**
 * The region host for a host or AWS-style name (`usw2.pure.cloud`, `us-west-2`, `US_WEST_2`,
 * `https://apps.usw2.pure.cloud`), or undefined when it names no known region.
 */
export function resolveRegion(value: string): string | undefined {
  const normalized = normalizeRegionInput(value)
  if (normalized in REGION_HOSTS) return normalized
  return HOST_BY_AWS_NAME.get(normalized)
}

/** Base URL of the Platform API in a region (`https://api.{host}`). */
export function apiUrlFor(host: string): string {
  return `https://api.${host}`
}

/** Base URL of the login (OAuth) service in a region (`https://login.{host}`). */
export function authUrlFor(host: string): string {
  return `https://login.${host}`
}

/** Every region as `host (aws-name)`, comma-separated: for "set `region` to one of …" messages. */
export function describeKnownRegions(): string {
  return Object.entries(REGION_HOSTS)
    .map(([host, awsName]) => `${host} (${awsName})`)
    .join(', ')
}
