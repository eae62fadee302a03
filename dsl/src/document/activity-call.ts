/** `call: activity` options: those it reads itself beside the Temporal activity options, and those Baton does not schedule with yet. */
export const OWN_ACTIVITY_CALL_OPTIONS: readonly string[] = ['taskQueue', 'scheduleToStartTimeout', 'summary'];
export const ACTIVITY_CALL_OPTIONS_NOT_YET: readonly string[] = ['activityId', 'waitForCancellation', 'disableEagerExecution', 'priority'];
