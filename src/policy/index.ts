/**
 * Registry of guardrails (src/policy/rules/, one file per rule named after its id), sorted by id.
 * A test fails when a rule file is not registered here or has no test. `rules:` of `.mlcost.yml`
 * takes one key per rule (src/policy/guardrail-schema.ts).
 */
import type { Rule } from './rule.js';
import { crossRegionData } from './rules/cross-region-data.js';
import { endpointIdleRisk } from './rules/endpoint-idle-risk.js';
import { gp2Volumes } from './rules/gp2-volumes.js';
import { gpuIdleNodes } from './rules/gpu-idle-nodes.js';
import { gpuInstances } from './rules/gpu-instances.js';
import { io1Volumes } from './rules/io1-volumes.js';
import { logRetention } from './rules/log-retention.js';
import { natS3Endpoint } from './rules/nat-s3-endpoint.js';
import { notebookIdleShutdown } from './rules/notebook-idle-shutdown.js';
import { requiredTags } from './rules/required-tags.js';
import { s3Lifecycle } from './rules/s3-lifecycle.js';
import { spotCheckpointing } from './rules/spot-checkpointing.js';
import { spotForTraining } from './rules/spot-for-training.js';

export const rules: readonly Rule[] = [
  crossRegionData,
  endpointIdleRisk,
  gp2Volumes,
  gpuIdleNodes,
  gpuInstances,
  io1Volumes,
  logRetention,
  natS3Endpoint,
  notebookIdleShutdown,
  requiredTags,
  s3Lifecycle,
  spotCheckpointing,
  spotForTraining,
];

export function ruleFor(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}

export type { Rule } from './rule.js';
