/** `plumbline/sdk`: the client applications embed to log predictions and labels. */

export type {
  ErrorBody,
  LabelBatchResult,
  LabelEvent,
  PredictionBatchResult,
  PredictionEvent,
  WireFeatureValue,
} from '../ingest/schema.js';
export {
  type ClientOptions,
  type ClientStats,
  createClient,
  type LogInput,
  type PlumblineClient,
} from './client.js';
