/**
 * aws_alb is Terraform's older name for aws_lb: billed the same way (load balancer hours plus capacity
 * units from usage). https://aws.amazon.com/elasticloadbalancing/pricing/
 */
import type { Pricer } from '../types.js';
import { awsLb } from './aws_lb.js';

export const awsAlb = { ...awsLb, type: 'aws_alb' } satisfies Pricer;
