/**
 * SageMaker notebook instances that nothing stops when idle: no lifecycle configuration, or one in
 * the project whose scripts (readable, base64 as Terraform writes them) check for no idleness. A
 * notebook instance bills every hour it is InService.
 */
import type { Resource } from '../../core/types.js';
import { defineRule } from '../rule.js';
import type { ProjectView, RuleFinding } from '../rule.js';
import { money, view } from '../facts.js';

const IDLE = /idle|auto-?stop|stop-notebook-instance|autostop/i;

function decode(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    return /^[A-Za-z0-9+/=\s]+$/.test(v) ? atob(v.replace(/\s+/g, '')) : v;
  } catch {
    return undefined;
  }
}

/** The lifecycle configuration resource a notebook names, when it is in the project. */
function lifecycleOf(p: ProjectView, r: Resource): Resource | undefined {
  const byRef = p.relations.referenced(view(r), 'lifecycle_config_name').find((x) => x.resource.type === 'aws_sagemaker_notebook_instance_lifecycle_configuration');
  if (byRef) return byRef.resource;
  const name = view(r).str('lifecycle_config_name');
  return p.resources.find((x) => x.type === 'aws_sagemaker_notebook_instance_lifecycle_configuration' && view(x).str('name') === name);
}

export const notebookIdleShutdown = defineRule({
  id: 'notebook-idle-shutdown',
  summary: 'SageMaker notebook instances without a lifecycle configuration that stops them when idle.',
  defaults: { enabled: true, severity: 'warning' },
  options: {},
  optionDefaults: {},
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (r.type !== 'aws_sagemaker_notebook_instance' || !ctx.settings(r, p)) continue;
        const v = view(r);
        const cost = p.priced(r.address)?.monthlyCost;
        const costText = typeof cost === 'number' && cost > 0 ? ` (${money(cost)} / month when left on)` : '';
        const raw = v.get('lifecycle_config_name');
        if (raw === undefined || raw === null || raw === '') {
          out.push({
            project: p,
            resource: r,
            line: v.line('instance_type'),
            message:
              `\`${r.address}\` has no lifecycle configuration, so it runs until someone stops it${costText}: ` +
              'attach one (lifecycle_config_name) whose on_start script stops the instance after an idle period (the AWS "auto-stop-idle" sample)',
          });
          continue;
        }
        const lc = lifecycleOf(p, r);
        if (!lc) continue;
        const lv = view(lc);
        const written = ['on_start', 'on_create'].filter((k) => lv.get(k) !== undefined && lv.get(k) !== null);
        const texts = written.map((k) => decode(lv.str(k)));
        // A script mlcost cannot read (a file() or a variable) may well stop the instance: not judged.
        if (texts.some((t) => t === undefined)) continue;
        if (texts.some((t) => t !== undefined && IDLE.test(t))) continue;
        out.push({
          project: p,
          resource: r,
          line: v.line('lifecycle_config_name'),
          message: `\`${r.address}\` uses lifecycle configuration \`${lc.address}\`, whose scripts do not stop the instance when idle (no idle or auto-stop check found)${costText}`,
        });
      }
    }
    return out;
  },
});
