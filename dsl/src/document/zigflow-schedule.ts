/** Zigflow's schedule metadata keys (`document.metadata`), read by validation and compilation alike. */
export const SCHEDULE_WORKFLOW_NAME_KEY = 'scheduleWorkflowName';
export const SCHEDULE_ID_KEY = 'scheduleId';
export const SCHEDULE_INPUT_KEY = 'scheduleInput';
