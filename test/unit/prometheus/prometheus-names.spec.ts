import { describe, expect, it } from '@jest/globals';
import { axisLabelText, escapeLabelValue, formatSampleValue, prometheusLabelNames, prometheusMetricName } from '../../../lib/prometheus/prometheus-names.js';

describe('Prometheus names', () => {
  it('sanitises metric names to [a-zA-Z0-9_:] behind souvenirs_', () => {
    expect(prometheusMetricName('guest_visits')).toBe('souvenirs_guest_visits');
    expect(prometheusMetricName('api.calls/v2-beta')).toBe('souvenirs_api_calls_v2_beta');
    expect(prometheusMetricName('ns:hits')).toBe('souvenirs_ns:hits');
    expect(prometheusMetricName('été')).toBe('souvenirs__t_');
  });

  it('sanitises label names, never reserved, never le, always distinct', () => {
    expect(prometheusLabelNames(['view', 'status'])).toEqual(['view', 'status']);
    expect(prometheusLabelNames(['a-b', 'a_b', 'a.b'])).toEqual(['a_b', 'a_b_2', 'a_b_3']);
    expect(prometheusLabelNames(['__name__', '1st', 'le', ''])).toEqual(['axis___name__', 'axis_1st', 'axis_le', 'axis_']);
    for (const name of prometheusLabelNames(['ünï', '__x', '9', 'le', 'a b'])) expect(name).toMatch(/^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/);
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue('plain / text')).toBe('plain / text');
  });

  it('writes axis values as label texts: paths joined by /, null and absent empty', () => {
    expect(axisLabelText(['api', 'v2', 3])).toBe('api/v2/3');
    expect(axisLabelText(null)).toBe('');
    expect(axisLabelText(undefined)).toBe('');
    expect(axisLabelText(false)).toBe('false');
    expect(axisLabelText(18)).toBe('18');
  });

  it('formats sample values as the exposition format reads them', () => {
    expect(formatSampleValue(Infinity)).toBe('+Inf');
    expect(formatSampleValue(0.005)).toBe('0.005');
    expect(formatSampleValue(42)).toBe('42');
  });
});
