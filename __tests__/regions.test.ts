import { describe, expect, it } from '@jest/globals'
import { apiUrlFor, authUrlFor, DEFAULT_REGION_HOST, describeKnownRegions, REGION_HOST_LIST, REGION_HOSTS, resolveRegion } from '../src/genesys/regions.js'

/** The official SDK's PureCloudRegionHosts (purecloud-platform-client-v2 v262), keyed as the SDK spells them. */
const SDK_REGION_HOSTS: Record<string, string> = {
  us_east_1: 'mypurecloud.com',
  eu_west_1: 'mypurecloud.ie',
  ap_southeast_2: 'mypurecloud.com.au',
  ap_northeast_1: 'mypurecloud.jp',
  eu_central_1: 'mypurecloud.de',
  us_west_2: 'usw2.pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  ap_northeast_2: 'apne2.pure.cloud',
  eu_west_2: 'euw2.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  us_east_2: 'use2.us-gov-pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
  eu_central_2: 'euc2.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud'
}

describe('regions', () => {
  it('knows exactly the 18 hosts of the official SDK', () => {
    expect(REGION_HOST_LIST).toHaveLength(18)
    expect([...REGION_HOST_LIST].sort()).toEqual(Object.values(SDK_REGION_HOSTS).sort())
  })

  it.each(Object.entries(SDK_REGION_HOSTS))('resolves %s (with _ or -, any case) to %s', (sdkKey, host) => {
    const hyphenated = sdkKey.replace(/_/g, '-')
    expect(REGION_HOSTS[host]).toBe(hyphenated)
    expect(resolveRegion(sdkKey)).toBe(host)
    expect(resolveRegion(hyphenated)).toBe(host)
    expect(resolveRegion(hyphenated.toUpperCase())).toBe(host)
    expect(resolveRegion(host)).toBe(host)
  })

  it('accepts a host the way it appears in a browser or an API URL', () => {
    expect(resolveRegion('  MyPureCloud.IE ')).toBe('mypurecloud.ie')
    expect(resolveRegion('https://apps.usw2.pure.cloud/directory/')).toBe('usw2.pure.cloud')
    expect(resolveRegion('api.mypurecloud.de')).toBe('mypurecloud.de')
    expect(resolveRegion('login.mypurecloud.com.au')).toBe('mypurecloud.com.au')
  })

  it('answers undefined for what is not a Genesys Cloud region', () => {
    expect(resolveRegion('us-west-1')).toBeUndefined()
    expect(resolveRegion('mypurecloud.co')).toBeUndefined()
    expect(resolveRegion('pure.cloud')).toBeUndefined()
    expect(resolveRegion('')).toBeUndefined()
    expect(resolveRegion('inindca.com')).toBeUndefined()
  })

  it('builds the API and login URLs of a host', () => {
    expect(apiUrlFor('usw2.pure.cloud')).toBe('https://api.usw2.pure.cloud')
    expect(authUrlFor('usw2.pure.cloud')).toBe('https://login.usw2.pure.cloud')
    expect(DEFAULT_REGION_HOST).toBe('mypurecloud.com')
  })

  it('lists every region with its AWS name for error messages', () => {
    const text = describeKnownRegions()
    expect(text).toContain('mypurecloud.com (us-east-1)')
    expect(text).toContain('edee1.eusc-pure.cloud (eusc-de-east-1)')
    expect(text.split(', ')).toHaveLength(18)
  })
})
