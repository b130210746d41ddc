import { describe, expect, it } from '@jest/globals';
import { prometheusLabelName, prometheusMetricName, prometheusNamesOf } from '../../../lib/metricas/definition/prometheus-family.js';
import { axisLabelText, escapeLabelValue, formatSampleValue, OTHER_LABEL } from '../../../lib/prometheus/prometheus-names.js';

describe('Prometheus names', () => {
  it('sanitises metric names to [a-zA-Z0-9_:] behind souvenirs_', () => {
    expect(prometheusMetricName('guest_visits')).toBe('souvenirs_guest_visits');
    expect(prometheusMetricName('api.calls/v2-beta')).toBe('souvenirs_api_calls_v2_beta');
    expect(prometheusMetricName('ns:hits')).toBe('souvenirs_ns:hits');
    expect(prometheusMetricName('été')).toBe('souvenirs__t_');
  });

  it('sanitises label names, never reserved, never le or quantile', () => {
    const labels = (axes: string[]) => axes.map(prometheusLabelName);
    expect(labels(['view', 'status'])).toEqual(['view', 'status']);
    expect(labels(['a-b', 'a_b', 'a.b'])).toEqual(['a_b', 'a_b', 'a_b']);
    expect(labels(['__name__', '1st', 'le', 'quantile', ''])).toEqual(['axis___name__', 'axis_1st', 'axis_le', 'axis_quantile', 'axis_']);
    for (const name of labels(['ünï', '__x', '9', 'le', 'a b', '_', 'é_', '\uD800'])) expect(name).toMatch(/^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/);
  });

  it('names every family and sample a metrica writes', () => {
    expect(prometheusNamesOf({ name: 'x', axes: [], averaged: false, histogram: undefined }).exposed).toEqual(['souvenirs_x_total']);
    expect(prometheusNamesOf({ name: 'x_total', axes: [], averaged: true, histogram: undefined }).exposed).toEqual([
      'souvenirs_x_total',
      'souvenirs_x_total_sum',
      'souvenirs_x_total_count',
    ]);
    expect(prometheusNamesOf({ name: 'response_time', axes: [['view', null]], averaged: true, histogram: [5] })).toMatchObject({
      family: 'souvenirs_response_time_seconds',
      type: 'histogram',
      labels: ['view'],
      unit: 1 / 1000,
    });
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

  it('gives a real value starting with __ one more _, so none reads as the maxSeries fold', () => {
    expect(axisLabelText(OTHER_LABEL)).toBe('___other__');
    expect(axisLabelText('___other__')).toBe('____other__');
    expect(axisLabelText(['__other__'])).toBe('___other__');
    expect(axisLabelText('_other_')).toBe('_other_');
  });

  it('formats sample values as the exposition format reads them', () => {
    expect(formatSampleValue(Infinity)).toBe('+Inf');
    expect(formatSampleValue(0.005)).toBe('0.005');
    expect(formatSampleValue(42)).toBe('42');
  });
});
