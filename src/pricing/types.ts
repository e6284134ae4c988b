import type { PriceQuery, Resource, Value } from '../core/types.js';
import type { InstanceSpec, SpotAdvice } from '../core/ports.js';

/** One billed line, as a pricer declares it. The price itself is looked up later (cost.ts). */
export interface ComponentSpec {
  name: string;
  /** Unit of the quantity, e.g. `hours`, `GB`, `requests`. */
  unit: string;
  /** Quantity per month; null when it depends on usage nobody gave (or cannot be known). */
  monthlyQuantity: number | null;
  /** What to ask the price book; null when the pricer already knows it cannot be priced. */
  price: PriceQuery | null;
  /** Why this line cannot be priced (unknown instance type, unsupported option...). */
  unpricedReason?: string;
  usageBased?: boolean;
  /** `.mlcost.yml` usage key that sets the quantity. */
  usageKey?: string;
  /** A value the pricer assumed (default disk size, ...), said in words. */
  assumption?: string;
  /** Line of the attribute that drives the line. */
  line?: number;
  /** Quantity at the most the resource can scale to (an autoscaling group's max size), when higher. */
  ceilingQuantity?: number;
}

export interface SubresourceSpec {
  /** Appended to the parent's address: `root_block_device`, `ebs_block_device[0]`. */
  name: string;
  type?: string;
  line?: number;
  components: ComponentSpec[];
}

/** Usage values for one resource, from `.mlcost.yml` (`usage:`) or `--usage-file`. */
export interface UsageValues {
  /** A number for a dotted key (`standard.storage_gb`); undefined when not given. */
  num(key: string): number | undefined;
  str(key: string): string | undefined;
}

export interface PricerContext {
  usage: UsageValues;
  instanceSpec(type: string): InstanceSpec | undefined;
  /** AWS Spot Advisor data for an EC2 instance type (a saving in percent, not a price); absent in some fakes. */
  spotAdvice?(region: string, instanceType: string): SpotAdvice | undefined;
  /** Resources that the expression of attribute `path` refers to (an ASG's launch template, ...). */
  referenced(r: ResourceView, path: string): ResourceView[];
  /** Resources of `type` in the same project whose attributes refer to `r` (an endpoint's autoscaling target, ...). */
  referencing(r: ResourceView, type: string): ResourceView[];
}

/** A pricer declares what a resource type bills, never the price. One file per resource type. */
export interface Pricer {
  type: string;
  components(r: ResourceView, ctx: PricerContext): ComponentSpec[];
  subresources?(r: ResourceView, ctx: PricerContext): SubresourceSpec[];
  /** Facts for the report (replicas, desired/min/max sizes...), copied to the resource's `details`. */
  details?(r: ResourceView, ctx: PricerContext): Record<string, unknown>;
}

export interface ResourceView {
  readonly resource: Resource;
  readonly address: string;
  readonly region: string | null;
  /** Raw evaluated value. */
  get(path: string): Value | undefined;
  /** A string attribute; undefined when absent, unknown or not a string (see why()). */
  str(path: string): string | undefined;
  num(path: string): number | undefined;
  num(path: string, fallback: number): number;
  bool(path: string): boolean | undefined;
  /** Nested blocks (`root_block_device`) or a list attribute of objects, as views. */
  list(path: string): ResourceView[];
  /** Line of an attribute, or the resource's line. */
  line(path?: string): number;
  /** Why str()/num() gave undefined: `instance_type is not set`, or the unknown's reason. */
  why(path: string): string;
}
