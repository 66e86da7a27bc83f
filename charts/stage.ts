// Which stage an object comes up in (contracts/cluster-resource.ts STAGES), as a label the
// reconciler reads to apply and wait stage by stage.
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { OWNER_LABEL, type Stage } from '../contracts/cluster-resource.ts';

/** Labels every API object under `scope` (not pod templates: selectors stay as they are). */
export function labelStage(scope: Construct, stage: Stage): void {
  for (const child of scope.node.findAll()) {
    if (child instanceof ApiObject) child.metadata.addLabel(OWNER_LABEL.stage, stage);
  }
}
