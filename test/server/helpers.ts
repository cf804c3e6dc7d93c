/** Shared fixtures for server tests: a model definition and event builders. */
import type { PredictionEvent } from '../../src/ingest/schema.js';

/** A model definition as POSTed to /v1/models. */
export const modelBody = {
  id: 'flights',
  schema: {
    features: [
      { name: 'distance', type: 'numeric' },
      { name: 'carrier', type: 'categorical' },
      { name: 'weekend', type: 'boolean' },
    ],
    label: { name: 'delayed', classes: ['0', '1'] },
    positiveClass: '1',
    segments: ['carrier', 'tags.region'],
  },
};

/** A valid prediction event numbered `i`. */
export function prediction(i: number, over: Partial<PredictionEvent> = {}): PredictionEvent {
  return {
    eventId: `ev-${i}`,
    timestamp: Date.UTC(2001, 0, 5, 10) + i * 1000,
    version: 'v1',
    features: { distance: 100 + i, carrier: i % 2 ? 'AA' : 'UA', weekend: i % 7 === 0 },
    prediction: i % 3 === 0 ? '1' : '0',
    score: i % 3 === 0 ? 0.9 : 0.1,
    latencyMs: 2 + (i % 5),
    tags: { region: 'eu' },
    ...over,
  };
}
