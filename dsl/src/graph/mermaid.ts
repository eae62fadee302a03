/**
 * Plan → Mermaid flowchart: one node per task, edges for sequence and every `then`, switch cases
 * labelled with their conditions, loops drawn back to their `for`, fork branches meeting at a
 * join, and the catch path dashed.
 */
import type { FlowTarget, Plan, Task } from '../plan.ts';

const START = 'start';
const END = 'finish';

export function toMermaid(plan: Plan): string {
  const lines = ['flowchart TD', `  ${START}(("${escape(`${plan.document.name} ${plan.document.version}`)}"))`, `  ${END}((end))`];
  const ids = new Map<Task, string>();
  let counter = 0;
  const idOf = (task: Task) => {
    let id = ids.get(task);
    if (!id) {
      id = `t${counter++}`;
      ids.set(task, id);
    }
    return id;
  };

  /** Draw a list; control leaving its last task (or `exit`) goes to `after`. Returns the entry node. */
  const drawList = (tasks: readonly Task[], after: string, indent: string): string => {
    tasks.forEach((task, index) => {
      const next = index + 1 < tasks.length ? idOf(tasks[index + 1]!) : after;
      const target = (flow: FlowTarget): string => {
        switch (flow.kind) {
          case 'continue':
            return next;
          case 'exit':
            return after;
          case 'end':
            return END;
          case 'goto':
            return tasks[flow.index] ? idOf(tasks[flow.index]!) : next;
        }
      };
      drawTask(task, target(task.then), target, indent);
    });
    return tasks[0] ? idOf(tasks[0]) : after;
  };

  const drawTask = (task: Task, then: string, target: (flow: FlowTarget) => string, indent: string): void => {
    const id = idOf(task);
    // A task whose `if` is false is skipped: control continues with the next task.
    if (task.if) lines.push(`${indent}${id} -. "skip unless ${escape(task.if.jq)}" .-> ${target({ kind: 'continue' })}`);
    switch (task.kind) {
      case 'switch':
        lines.push(`${indent}${id}{"${escape(task.name)}"}`);
        for (const branch of task.cases) {
          const label = branch.when ? `${branch.name}: ${branch.when.jq}` : branch.name === 'default' ? 'default' : `${branch.name} (default)`;
          lines.push(`${indent}${id} -->|"${escape(label)}"| ${target(branch.then)}`);
        }
        if (!task.cases.some((branch) => !branch.when)) lines.push(`${indent}${id} -->|no match| ${then}`);
        return;
      case 'do': {
        lines.push(`${indent}subgraph ${id}_group ["${escape(task.name)}"]`);
        lines.push(`${indent}  ${id}[["do ${escape(task.name)}"]]`);
        const entry = drawList(task.do, then, `${indent}  `);
        lines.push(`${indent}end`, `${indent}${id} --> ${entry}`);
        return;
      }
      case 'for': {
        lines.push(`${indent}subgraph ${id}_group ["${escape(task.name)}"]`);
        lines.push(`${indent}  ${id}[/"for each $${task.each} in ${escape(task.in.jq)}"/]`);
        const entry = drawList(task.do, id, `${indent}  `);
        lines.push(`${indent}end`, `${indent}${id} -->|item| ${entry}`, `${indent}${id} -->|done| ${then}`);
        return;
      }
      case 'fork': {
        const join = `${id}_join`;
        lines.push(`${indent}subgraph ${id}_group ["${escape(task.name)}${task.compete ? ' (compete)' : ''}"]`);
        lines.push(`${indent}  ${id}{{"fork ${escape(task.name)}"}}`, `${indent}  ${join}{{join}}`);
        for (const branch of task.branches) {
          lines.push(`${indent}  ${id} --> ${idOf(branch)}`);
          drawTask(branch, join, () => join, `${indent}  `);
        }
        lines.push(`${indent}end`, `${indent}${join} --> ${then}`);
        return;
      }
      case 'try': {
        lines.push(`${indent}subgraph ${id}_group ["${escape(task.name)}"]`);
        lines.push(`${indent}  ${id}[["try ${escape(task.name)}"]]`);
        const entry = drawList(task.try, then, `${indent}  `);
        lines.push(`${indent}  ${id} --> ${entry}`);
        if (task.catch.do && task.catch.do.length > 0) {
          const recovery = drawList(task.catch.do, then, `${indent}  `);
          lines.push(`${indent}  ${id} -. "catch $${task.catch.as}" .-> ${recovery}`);
        }
        lines.push(`${indent}end`);
        return;
      }
      case 'raise':
        lines.push(`${indent}${id}>"raise ${escape(task.name)}"]`);
        return;
      default:
        lines.push(`${indent}${id}["${escape(`${task.kind} ${task.name}`)}"]`, `${indent}${id} --> ${then}`);
    }
  };

  // Number the nodes in document order so the output reads like the YAML.
  const number = (tasks: readonly Task[]): void => {
    for (const task of tasks) {
      idOf(task);
      if (task.kind === 'do') number(task.do);
      if (task.kind === 'for') number(task.do);
      if (task.kind === 'fork') number(task.branches);
      if (task.kind === 'try') number([...task.try, ...(task.catch.do ?? [])]);
    }
  };
  number(plan.do);
  const entry = drawList(plan.do, END, '  ');
  lines.push(`  ${START} --> ${entry}`);
  return `${lines.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/\|/g, '#124;').replace(/\n/g, ' ');
}
